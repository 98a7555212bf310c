import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Server, tempDir, cleanup, cli, postInbound, sign, stubServer, until } from './lib/harness.mjs';

let server, dir, inbox, token, stub;
before(async () => {
  dir = tempDir();
  stub = await stubServer([500, 503, 200]);
  const created = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Marketplace', '--callback-url', stub.url, '--json'], { data: dir }));
  inbox = created;
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

async function messagesOfSender(senderName) {
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  const conv = list.json.items.find((c) => c.contact.name === senderName);
  if (!conv) return [];
  const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
  return msgs.json.items;
}

test('inbox create api --json prints id, secret and the inbound URL', () => {
  assert.ok(Number.isInteger(inbox.id));
  assert.ok(inbox.secret.length >= 32);
  assert.equal(inbox.webhook_url, `/api/v1/inboxes/${inbox.id}/inbound`);
});

test('a signed inbound message is stored once, even when delivered twice', async () => {
  const payload = { message_id: 'mp-1', sender: { id: 'cust-1', name: 'Erika Muster' },
                    text: 'Hallo, wo ist meine Bestellung?', timestamp: 1764000000 };
  const first = await postInbound(server, inbox.id, inbox.secret, payload);
  assert.equal(first.status, 200);
  assert.equal(first.json.duplicate, false);
  const again = await postInbound(server, inbox.id, inbox.secret, payload);
  assert.equal(again.status, 200);
  assert.equal(again.json.duplicate, true);
  const msgs = await messagesOfSender('Erika Muster');
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0].text, 'Hallo, wo ist meine Bestellung?');
  assert.equal(msgs[0].direction, 'in');
  assert.equal(msgs[0].sender_kind, 'customer');
});

test('bad, missing or foreign signatures are 401 and store nothing', async () => {
  const payload = { message_id: 'mp-sig', sender: { id: 'cust-sig', name: 'Sig Tester' }, text: 'hi' };
  const wrong = await postInbound(server, inbox.id, inbox.secret, payload, { signature: sign('another-secret', JSON.stringify(payload)) });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error.code, 'invalid_signature');
  const missing = await postInbound(server, inbox.id, inbox.secret, payload, { signature: null });
  assert.equal(missing.status, 401);
  const garbage = await postInbound(server, inbox.id, inbox.secret, payload, { signature: 'sha256=zz' });
  assert.equal(garbage.status, 401);
  assert.equal((await messagesOfSender('Sig Tester')).length, 0);
});

test('malformed JSON 400, missing fields 422 naming the field, invalid UTF-8 400, unknown inbox 404', async () => {
  const bad = await postInbound(server, inbox.id, inbox.secret, null, { rawBody: '{"message_id": "x",' });
  assert.equal(bad.status, 400);
  const noText = await postInbound(server, inbox.id, inbox.secret, { message_id: 'm-nt', sender: { id: 'c-nt', name: 'No Text' } });
  assert.equal(noText.status, 422);
  assert.match(noText.json.error.message, /'text'/);
  const noSender = await postInbound(server, inbox.id, inbox.secret, { message_id: 'm-ns', text: 'x' });
  assert.equal(noSender.status, 422);
  assert.match(noSender.json.error.message, /sender/);
  const noId = await postInbound(server, inbox.id, inbox.secret, { sender: { id: 'c' }, text: 'x' });
  assert.equal(noId.status, 422);
  assert.match(noId.json.error.message, /message_id/);
  const raw = Buffer.concat([Buffer.from('{"message_id":"u8","sender":{"id":"c-u8","name":"Bad Bytes"},"text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
  const r = await fetch(`${server.base}/api/v1/inboxes/${inbox.id}/inbound`, {
    method: 'POST', body: raw,
    headers: { 'content-type': 'application/json', 'x-meridian-signature': sign(inbox.secret, raw) } });
  assert.equal(r.status, 400);
  assert.equal((await r.json()).error.code, 'invalid_utf8');
  const unknown = await postInbound(server, 987654, inbox.secret, { message_id: 'x', sender: { id: 'c' }, text: 'x' });
  assert.equal(unknown.status, 404);
  for (const name of ['No Text', 'Bad Bytes']) assert.equal((await messagesOfSender(name)).length, 0);
});

test('an oversize body is 413 and stores nothing', async () => {
  const payload = { message_id: 'big', sender: { id: 'c-big', name: 'Big Body' }, text: 'x'.repeat(2 * 1024 * 1024) };
  const r = await postInbound(server, inbox.id, inbox.secret, payload).catch((e) => ({ status: 'reset', e }));
  // The server answers 413 before reading the body; a client may also see the reset.
  assert.ok(r.status === 413 || r.status === 'reset', `got ${r.status}`);
  assert.equal((await messagesOfSender('Big Body')).length, 0);
  const tooLongText = await postInbound(server, inbox.id, inbox.secret, { message_id: 'long', sender: { id: 'c-long', name: 'Long Text' }, text: 'y'.repeat(20000) });
  assert.equal(tooLongText.status, 413);
});

test('agent replies reach the callback, signed, retried after 5xx until 2xx', async () => {
  const payload = { message_id: 'mp-reply', sender: { id: 'cust-reply', name: 'Reply Target' }, text: 'Where is it?' };
  await postInbound(server, inbox.id, inbox.secret, payload);
  const list = await server.request('GET', '/api/v1/conversations?limit=200', { token });
  const conv = list.json.items.find((c) => c.contact.name === 'Reply Target');
  const sent = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text: 'It ships today.' } });
  assert.equal(sent.status, 201);
  assert.equal(sent.json.status, 'pending');
  await until(() => stub.received.length >= 3);
  const last = stub.received[2];
  assert.equal(last.headers['x-meridian-signature'], sign(inbox.secret, last.body));
  const body = JSON.parse(last.body);
  assert.equal(body.text, 'It ships today.');
  assert.equal(body.recipient.id, 'cust-reply');
  assert.equal(body.conversation_id, conv.id);
  // Each retry carries the same message; the doubling delays are unit-tested with a fake clock.
  assert.deepEqual(stub.received.map((r) => JSON.parse(r.body).message_id),
                   Array(3).fill(body.message_id));
  await until(async () => {
    const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
    return msgs.json.items.at(-1).status === 'sent';
  });
});

test('an agent\'s file reaches the callback as a signed link the integrator can fetch', async () => {
  const payload = { message_id: 'mp-file', sender: { id: 'cust-file', name: 'File Taker' }, text: 'Send me the invoice' };
  await postInbound(server, inbox.id, inbox.secret, payload);
  const list = await server.request('GET', '/api/v1/conversations?limit=200', { token });
  const conv = list.json.items.find((c) => c.contact.name === 'File Taker');
  const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ninvoice 4711', 'latin1');
  const before = stub.received.length;
  const r = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: pdf, token, headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Rechnung 4711.pdf') },
  });
  assert.equal(r.status, 201, r.text);
  const delivered = await until(() => stub.received.slice(before).find((x) => JSON.parse(x.body).message_id === r.json.id));
  assert.equal(delivered.headers['x-meridian-signature'], sign(inbox.secret, delivered.body));
  const body = JSON.parse(delivered.body);
  assert.equal(body.text, '', 'a file sent alone has no caption');
  assert.equal(body.attachments.length, 1);
  const file = body.attachments[0];
  assert.equal(file.filename, 'Rechnung 4711.pdf');
  assert.equal(file.content_type, 'application/pdf');
  assert.equal(file.size, pdf.length);
  const got = await fetch(server.base + file.url);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), pdf);

  // Tampered, expired or foreign links are refused.
  const url = new URL(file.url, server.base);
  const link = (id, expires, signature) => `/api/v1/inboxes/${inbox.id}/files/${id}?expires=${expires}&signature=${signature}`;
  const fileSig = (id, expires) => createHmac('sha256', inbox.secret).update(`file:${inbox.id}:${id}:${expires}`).digest('hex');
  const expires = url.searchParams.get('expires');
  assert.equal((await server.request('GET', link(file.id, Number(expires) + 1, url.searchParams.get('signature')))).status, 401);
  assert.equal((await server.request('GET', link(file.id, expires, 'ab'.repeat(32)))).json.error.code, 'invalid_signature');
  assert.equal((await server.request('GET', `/api/v1/inboxes/${inbox.id}/files/${file.id}`)).status, 401);
  const past = Math.floor(Date.now() / 1000) - 60;
  const old = await server.request('GET', link(file.id, past, fileSig(file.id, past)));
  assert.equal(old.status, 401);
  assert.equal(old.json.error.code, 'link_expired');
  assert.equal((await server.request('GET', link(987654, expires, fileSig(987654, expires)))).status, 404);
});
