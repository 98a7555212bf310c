// Email inboxes end to end (issue 3, CH2 + CH9) against real Dovecot (IMAP) and OpenSMTPD
// (SMTP) started by the test on 127.0.0.1 (tests/api/lib/mail.mjs; needs root for OpenSMTPD):
// real-world-shaped mails delivered into the mailbox become conversations with the right
// threads, displayed text, flags and attachments; an agent's reply leaves over SMTP with the
// threading headers and is read back from the customer's mailbox; the customer's Outlook,
// Gmail and Apple Mail replies to it land in the same conversation (a copy of the reply is in
// the Sent folder); a restart reads nothing
// twice; bad credentials show on the inbox while the server keeps serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tempDir, cleanup, cli, Server, until } from './lib/harness.mjs';
import { MailServers, header } from './lib/mail.mjs';

const FIXTURES = new URL('../fixtures/email/', import.meta.url).pathname;
const fixtureBytes = (name) => readFileSync(`${FIXTURES}${name}.eml`);
const expected = (name) => JSON.parse(readFileSync(`${FIXTURES}${name}.json`, 'utf8'));
// A fixture whose references to "our earlier reply" name the reply this test really sent.
const replyingTo = (name, ourId) =>
  Buffer.from(fixtureBytes(name).toString('latin1').replaceAll('m1.abc@meridian.test', ourId), 'latin1');

let dir, mail, server, token;
let inbox, badInbox;

const ROOT = [
  'From: Li Wei <li.wei@outlook.example>',
  'To: Support <support@meridian.test>',
  'Subject: Router problem',
  'Date: Mon, 04 Mar 2024 09:00:00 +0800',
  'Message-ID: <root-4411@mail.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'My router keeps rebooting. Order 4711.',
  '',
].join('\r\n');

async function conversations() {
  const r = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

async function messages(conversationId) {
  const r = await server.request('GET', `/api/v1/conversations/${conversationId}/messages?limit=200`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

// All stored messages of the email inbox, keyed by the mail's Message-ID.
async function mailsById() {
  const out = new Map();
  for (const c of await conversations()) {
    if (c.inbox.id !== inbox) continue;
    for (const m of await messages(c.id)) {
      const id = m.meta?.email?.message_id;
      if (id) out.set(id, { ...m, conversation: c });
    }
  }
  return out;
}

const waitForMail = (id) => until(async () => (await mailsById()).get(id), { timeout: 30000, interval: 200 });

before(async () => {
  dir = tempDir();
  mail = await new MailServers().start(dir);
  if (!mail.available) return;
  const create = (name, password) => JSON.parse(cli(['inbox', 'create', 'email', '--name', name,
    '--address', 'support@meridian.test', '--display-name', 'Aurora Support', '--signature', 'Aurora Outdoor support team',
    '--imap-url', mail.imap_url, '--smtp-url', mail.smtp_url, '--username', mail.user, '--json'],
  { input: `${password}\n`, data: dir })).id;
  inbox = create('Support mail', mail.password);
  badInbox = create('Broken mail', 'wrong-password');
  server = await new Server(dir, ['--demo', '--mail-poll-ms', '200', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});

after(async () => {
  if (server) await server.stop();
  if (mail) await mail.stop();
  cleanup(dir);
});

test('mail in every charset, HTML-only, with attachments, becomes conversations', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  const names = ['charset_gb2312', 'charset_big5', 'charset_shift_jis', 'charset_iso2022jp', 'charset_euc_kr',
    'charset_koi8r', 'charset_windows1251', 'charset_iso8859_2', 'charset_utf8', 'html_only',
    'attachments', 'alternative_related'];
  for (const n of names) await mail.deliver(fixtureBytes(n));
  await until(async () => (await mailsById()).has('alt-related@mail.example'), { timeout: 30000, interval: 200 });
  const stored = await mailsById();
  for (const n of names.filter((x) => x.startsWith('charset_'))) {
    const want = expected(n);
    const m = stored.get(want.message_id);
    assert.ok(m, `${n} stored`);
    assert.equal(m.text, want.text.normalize('NFC'), n);
    assert.equal(m.meta.email.subject, want.subject, n);
    assert.equal(m.conversation.contact.name, want.from_name, n);
    assert.equal(m.meta.automated, undefined, n);
  }
  // No threading keys: each mail is its own conversation, even from the same sender.
  const charsetConversations = new Set(names.filter((x) => x.startsWith('charset_'))
    .map((n) => stored.get(expected(n).message_id).conversation.id));
  assert.equal(charsetConversations.size, names.filter((x) => x.startsWith('charset_')).length);

  const html = stored.get('html-only@mail.example');
  assert.equal(html.text, expected('html_only').text);
  assert.equal(html.meta.email.text_from_html, true);
  for (const bad of expected('html_only').text_not_contains) assert.ok(!html.text.includes(bad), bad);

  // Attachments: listed with their names, types sniffed from the bytes, sizes and URLs.
  const files = stored.get('attach@mail.example').attachments;
  const byName = Object.fromEntries(files.map((f) => [f.name, f]));
  assert.deepEqual(Object.keys(byName).sort(), ['original.eml', 'Straße.png', '发票 2024.csv'].sort());
  assert.equal(byName['Straße.png'].content_type, 'image/png');
  assert.equal(byName['Straße.png'].size, 70);
  assert.equal(byName['发票 2024.csv'].content_type, 'text/plain');  // sniffed: CSV is text
  const png = await fetch(server.base + byName['Straße.png'].url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.match(png.headers.get('content-disposition'), /^inline; filename="Stra_e.png"; filename\*=UTF-8''Stra%C3%9Fe.png$/);
  assert.equal(png.headers.get('x-content-type-options'), 'nosniff');
  const bytes = Buffer.from(await png.arrayBuffer());
  assert.equal(bytes.length, 70);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  // The original mail is kept, as a download.
  const original = await fetch(server.base + byName['original.eml'].url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(original.headers.get('content-type'), 'message/rfc822');
  assert.match(original.headers.get('content-disposition'), /^attachment;/);
  assert.match(await original.text(), /Message-ID: <attach@mail.example>/);

  // The inline image of a multipart/related HTML body, and the PDF beside it.
  const related = stored.get('alt-related@mail.example');
  assert.equal(related.text, expected('alternative_related').text);
  const shot = related.attachments.find((a) => a.name === 'shot.png');
  assert.equal(shot.inline, true);
  assert.equal(shot.content_id, 'shot1@mail.example');
  assert.equal(related.attachments.find((a) => a.name === 'invoice.pdf').content_type, 'application/pdf');

  // Only agents, with credentials: 401 without, 404 for an unknown id.
  assert.equal((await server.request('GET', byName['Straße.png'].url)).status, 401);
  const missing = await server.request('GET', '/api/v1/attachments/999999', { token });
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error.code, 'not_found');
  assert.equal((await server.request('GET', '/api/v1/attachments/abc', { token })).status, 404);
});

test('an HTML attachment is served as a download, never inline', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  await mail.deliver([
    'From: Mallory <mallory@evil.example>', 'To: support@meridian.test', 'Subject: see picture',
    'Message-ID: <evil-1@evil.example>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', 'look', '--b',
    'Content-Type: image/png; name="cat.png"', 'Content-Disposition: attachment; filename="cat.png"', '',
    '<html><script>alert(document.cookie)</script></html>', '--b--', ''].join('\r\n'));
  const m = await waitForMail('evil-1@evil.example');
  const cat = m.attachments.find((a) => a.name === 'cat.png');
  assert.equal(cat.content_type, 'text/html');  // the bytes, not the claim
  const r = await fetch(server.base + cat.url, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.headers.get('content-type'), 'text/html');
  assert.match(r.headers.get('content-disposition'), /^attachment;/);
  assert.match(r.headers.get('content-security-policy'), /sandbox/);
});

test('a thread: agent reply over SMTP with threading headers, replies from every client thread back', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  await mail.deliver(ROOT);
  const root = await waitForMail('root-4411@mail.example');
  const conversation = root.conversation.id;
  assert.equal(root.text, 'My router keeps rebooting. Order 4711.');
  assert.equal(root.conversation.contact.name, 'Li Wei');

  // The agent answers; the outbox sends it through SMTP (submission -> MTA -> LMTP).
  const sent = await server.request('POST', `/api/v1/conversations/${conversation}/messages`,
    { token, body: { text: 'Hello Li,\nplease hold the reset button for 10 seconds.' } });
  assert.equal(sent.status, 201, sent.text);
  const inLiBox = await until(async () => {
    const box = await mail.mailbox('li.wei');
    return box.length ? box : null;
  }, { timeout: 30000, interval: 200 });
  const raw = inLiBox[0].raw;
  const ourId = header(raw, 'Message-ID').replace(/[<>]/g, '');
  assert.equal(header(raw, 'In-Reply-To'), '<root-4411@mail.example>');
  assert.equal(header(raw, 'References'), '<root-4411@mail.example>');
  assert.equal(header(raw, 'Subject'), 'Re: Router problem');
  assert.match(header(raw, 'From'), /Aurora Support.*<support@meridian\.test>/);
  assert.match(header(raw, 'To'), /li\.wei@outlook\.example/);
  assert.match(raw, /multipart\/alternative/);
  assert.match(raw, /text\/html/);
  assert.match(raw, /-- \r\nAurora Outdoor support team/);
  // The sent Message-ID is stored as the provider message id, and the message is sent.
  await until(async () => (await messages(conversation)).find((m) => m.id === sent.json.id && m.status === 'sent'));
  // A copy is in the mailbox's Sent folder, for people who also read it in a mail client.
  const copies = await until(async () => {
    const box = await mail.mailbox(mail.user, 'Sent');
    return box.length ? box : null;
  });
  assert.equal(header(copies[0].raw, 'Message-ID'), `<${ourId}>`);

  // The agent resolves; an auto-reply and a bounce of our mail arrive: stored in the thread,
  // flagged, and the conversation stays resolved.
  assert.equal((await server.request('POST', `/api/v1/conversations/${conversation}/resolve`, { token })).status, 200);
  await mail.deliver(replyingTo('auto_reply', ourId));
  await mail.deliver(replyingTo('bounce_dsn', ourId));
  const ooo = await waitForMail('ooo-1@mail.example');
  const bounce = await waitForMail('bounce-1@mx.meridian.test');
  assert.equal(ooo.conversation.id, conversation);
  assert.equal(ooo.meta.automated, 'auto_reply');
  assert.equal(bounce.conversation.id, conversation);
  assert.equal(bounce.meta.automated, 'bounce');
  assert.equal(bounce.meta.bounce.status, '5.1.1');
  let c = (await server.request('GET', `/api/v1/conversations/${conversation}`, { token })).json;
  assert.equal(c.status, 'resolved');

  // Replies as Outlook (In-Reply-To + References), Gmail and Apple Mail write them: same
  // conversation, quoted history stripped from the displayed text, the full text kept.
  for (const [name, id] of [['reply_outlook', 'DB9PR01MB1234@DB9PR01MB1234.eurprd01.prod.outlook.com'],
    ['reply_gmail', 'CAGmail123@mail.gmail.com'], ['reply_apple', 'B1A2C3D4-0000-4000-8000-APPLE@example.me']]) {
    await mail.deliver(replyingTo(name, ourId));
    const m = await waitForMail(id);
    assert.equal(m.conversation.id, conversation, name);
    const want = expected(name).display_text;
    if (want) assert.equal(m.text, want, name);
    assert.equal(m.meta.email.quoted_stripped, true, name);
    assert.ok(m.meta.email.full_text.length > m.text.length, name);
  }
  c = (await server.request('GET', `/api/v1/conversations/${conversation}`, { token })).json;
  assert.equal(c.status, 'open');  // a person's reply reopens it
  const gmail = (await mailsById()).get('CAGmail123@mail.gmail.com');
  assert.match(gmail.meta.email.full_text, /please restart the router/);
});

test('an agent\'s file goes out as a mail attachment, in the same thread', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  const root = (await mailsById()).get('root-4411@mail.example');
  assert.ok(root, 'the thread test ran first');
  const before = (await mail.mailbox('li.wei')).length;
  const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
  const r = await server.request('POST', `/api/v1/conversations/${root.conversation.id}/attachments`, {
    raw: pdf, token,
    headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Reset-Anleitung.pdf'),
               'x-caption': encodeURIComponent('The reset guide is attached.') },
  });
  assert.equal(r.status, 201, r.text);
  const box = await until(async () => {
    const b = await mail.mailbox('li.wei');
    return b.length > before ? b : null;
  }, { timeout: 30000, interval: 200 });
  const raw = box.at(-1).raw;
  assert.match(header(raw, 'References'), /<root-4411@mail\.example>/, 'in the thread');
  assert.match(raw, /multipart\/mixed/);
  assert.match(raw, /Content-Disposition: attachment;\s+filename=("?)Reset-Anleitung\.pdf\1/);
  assert.ok(raw.includes(pdf.toString('base64')), 'the PDF bytes, base64');
  assert.match(raw, /The reset guide is attached\./);
  await until(async () => (await messages(root.conversation.id)).find((m) => m.id === r.json.id && m.status === 'sent'));
});

test('a recipient the mail server refuses (5xx) is a dead letter with the server\'s answer', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  await mail.deliver(['From: Nobody <nobody@rejected.example>', 'To: support@meridian.test', 'Subject: refused',
    'Message-ID: <refused-1@rejected.example>', '', 'Please answer me', ''].join('\r\n'));
  const m = await waitForMail('refused-1@rejected.example');
  const sent = await server.request('POST', `/api/v1/conversations/${m.conversation.id}/messages`,
    { token, body: { text: 'Here is your answer' } });
  assert.equal(sent.status, 201, sent.text);
  const failed = await until(async () => (await messages(m.conversation.id))
    .find((x) => x.id === sent.json.id && x.status === 'failed'), { timeout: 20000, interval: 200 });
  assert.match(failed.error, /SMTP 5\d\d/);
  const dead = await server.request('GET', '/api/v1/dead-letters', { token });
  const letter = dead.json.items.find((d) => d.message_id === sent.json.id);
  assert.equal(letter.attempts, 1);  // permanent: not retried
  assert.match(letter.last_error, /SMTP 5\d\d/);
});

test('bad credentials: the inbox shows the error, the server stays ready', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  const bad = await until(async () => {
    const r = await server.request('GET', '/api/v1/inboxes', { token });
    const i = r.json.items.find((x) => x.id === badInbox);
    return i?.sync && !i.sync.healthy ? i : null;
  }, { timeout: 20000, interval: 200 });
  assert.match(bad.sync.error, /^mail_login_failed/);
  assert.ok(!JSON.stringify(bad).includes('wrong-password'));
  const good = (await server.request('GET', '/api/v1/inboxes', { token })).json.items.find((x) => x.id === inbox);
  assert.equal(good.sync.healthy, true);
  assert.equal((await server.request('GET', '/readyz')).status, 200);
  const metrics = await server.request('GET', '/metrics');
  assert.match(metrics.text, /meridian_mail_poll_errors_total\{reason="mail_login_failed"\} [1-9]/);
  assert.ok(!server.stderr.includes('wrong-password'));
});

test('a restart reads nothing twice and misses nothing', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  const before = await mailsById();
  const stop = await server.stop();
  assert.equal(stop.code, 0);
  // Mail that arrives while Meridian is down is read after the restart, once.
  await mail.deliver(['From: Late <late@example.com>', 'To: support@meridian.test', 'Subject: while you were down',
    'Message-ID: <late-1@example.com>', '', 'Are you there?', ''].join('\r\n'));
  server = await new Server(dir, ['--mail-poll-ms', '200']).start();
  token = await server.login();
  await waitForMail('late-1@example.com');
  await mail.deliver(['From: Later <later@example.com>', 'To: support@meridian.test', 'Subject: and now',
    'Message-ID: <later-1@example.com>', '', 'Hello again', ''].join('\r\n'));
  await waitForMail('later-1@example.com');
  const after = await mailsById();
  assert.equal(after.size, before.size + 2);
  let total = 0;
  for (const c of await conversations()) if (c.inbox.id === inbox) total += (await messages(c.id)).filter((m) => m.direction === 'in').length;
  assert.equal(total, before.size + 2);
});
