// Email inboxes on an IMAP server without IDLE (issue 3, CH2): Dovecot started by the test with
// IDLE left out of its CAPABILITY (imap_capability), so Meridian must poll (--mail-poll-ms).
// Mail delivered while the server runs arrives through polling; mail delivered while Meridian is
// down arrives after a restart; nothing is read twice (UID + UIDVALIDITY position).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, cleanup, cli, Server, until } from './lib/harness.mjs';
import { MailServers } from './lib/mail.mjs';

let dir, mail, server, token, inbox;

const mailText = (id, subject, text) => ['From: Rosa Lima <rosa@example.com.br>', 'To: support@meridian.test',
  `Subject: ${subject}`, `Message-ID: <${id}>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '',
  text, ''].join('\r\n');

// Inbound messages of the inbox, by Message-ID: id -> how many times it was stored.
async function storedIds() {
  const counts = new Map();
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  for (const c of list.json.items) {
    if (c.inbox.id !== inbox) continue;
    const msgs = await server.request('GET', `/api/v1/conversations/${c.id}/messages?limit=200`, { token });
    for (const m of msgs.json.items) {
      const id = m.meta?.email?.message_id;
      if (m.direction === 'in' && id) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}
const arrived = (id) => until(async () => ((await storedIds()).get(id) ? true : null), { timeout: 30000, interval: 200 });
const start = async () => {
  server = await new Server(dir, ['--demo', '--mail-poll-ms', '200', '--mail-rescan-ms', '200']).start();
  token = await server.login();
};

before(async () => {
  dir = tempDir();
  mail = await new MailServers().start(dir, { idle: false, smtp: false });
  if (!mail.available) return;
  inbox = JSON.parse(cli(['inbox', 'create', 'email', '--name', 'No IDLE mail', '--address', 'support@meridian.test',
    '--imap-url', mail.imap_url, '--smtp-url', 'smtp://127.0.0.1:1', '--username', mail.user, '--json'],
  { input: `${mail.password}\n`, data: dir })).id;
});

after(async () => {
  if (server) await server.stop();
  if (mail) await mail.stop();
  cleanup(dir);
});

test('without IDLE, mail arrives by polling', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  await mail.deliver(mailText('poll-1@example.com.br', 'Pedido 881', 'Onde está o meu pedido?'));
  await start();
  await arrived('poll-1@example.com.br');
  // Delivered while the worker is between polls: only the next poll can find it.
  await mail.deliver(mailText('poll-2@example.com.br', 'Pedido 881', 'Alguma novidade?'));
  await arrived('poll-2@example.com.br');
  assert.match(server.stderr, new RegExp(`inbox ${inbox}: the IMAP server has no IDLE; polling every 200 ms`));
  const inboxes = await server.request('GET', '/api/v1/inboxes', { token });
  const sync = inboxes.json.items.find((i) => i.id === inbox).sync;
  assert.equal(sync.healthy, true);
  assert.equal(sync.error, null);
});

test('a restart reads nothing twice and misses nothing, by polling too', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  const stopped = await server.stop();
  assert.equal(stopped.code, 0);
  await mail.deliver(mailText('poll-3@example.com.br', 'Pedido 882', 'Chegou quebrado.'));
  await start();
  await arrived('poll-3@example.com.br');
  await mail.deliver(mailText('poll-4@example.com.br', 'Pedido 882', 'Quero devolver.'));
  await arrived('poll-4@example.com.br');
  // Several polls after the last mail: still each mail once.
  const polls = (server.stderr.match(/polling every/g) ?? []).length;
  assert.equal(polls, 1, 'the fallback is decided once per worker');
  await new Promise((r) => setTimeout(r, 1000));
  const counts = await storedIds();
  assert.deepEqual([...counts.entries()].sort(), [
    ['poll-1@example.com.br', 1], ['poll-2@example.com.br', 1], ['poll-3@example.com.br', 1], ['poll-4@example.com.br', 1]]);
});

test('a mailbox password typed wrong is fixed with PATCH, and the running server uses it', async (t) => {
  if (!mail.available) return t.skip(mail.why);
  const second = JSON.parse(cli(['inbox', 'create', 'email', '--name', 'Typo mail', '--address', 'support@meridian.test',
    '--imap-url', mail.imap_url, '--smtp-url', 'smtp://127.0.0.1:1', '--username', mail.user, '--json'],
  { input: 'not-the-password\n', data: dir })).id;
  const syncOf = async () => (await server.request('GET', `/api/v1/inboxes/${second}`, { token })).json.sync;
  // Picked up by the running server's rescan; the IMAP login fails and says so.
  const failing = await until(async () => { const s = await syncOf(); return s && !s.healthy ? s : null; },
    { timeout: 15000, interval: 100 });
  assert.match(failing.error, /auth|login|credentials/i);
  const patched = await server.request('PATCH', `/api/v1/inboxes/${second}`, { token, body: { password: mail.password } });
  assert.equal(patched.status, 200);
  assert.ok(!patched.text.includes(mail.password), 'a password is never shown');
  // The worker is restarted with the new password and reads the mailbox from its start.
  await until(async () => (await syncOf())?.healthy === true, { timeout: 15000, interval: 100 });
  const list = await until(async () => {
    const l = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
    return l.json.items.some((c) => c.inbox.id === second) ? l : null;
  }, { timeout: 15000, interval: 200 });
  assert.ok(list.json.items.some((c) => c.inbox.id === second && c.contact.name === 'Rosa Lima'));
  assert.match(server.stderr, new RegExp(`inbox ${second}: settings changed, restarting its mailbox worker`));
});
