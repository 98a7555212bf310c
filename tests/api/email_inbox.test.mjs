// Email inboxes from the CLI (issue 3 contract): `inbox create email --address --imap-url
// --smtp-url --username`, password on stdin; mail is fetched over IMAP, so there is no webhook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, cleanup, cli, Server } from './lib/harness.mjs';

let dir;
before(() => { dir = tempDir(); });
after(() => cleanup(dir));

const args = (extra = []) => ['inbox', 'create', 'email', '--name', 'Support', '--address', 'support@shop.example',
  '--imap-url', 'imaps://mail.shop.example/INBOX', '--smtp-url', 'smtps://mail.shop.example:465',
  '--username', 'support', '--json', ...extra];

test('bad input creates nothing: empty password, bad address, bad URLs', () => {
  assert.throws(() => cli(args(), { input: '\n', data: dir }), /password/);
  assert.throws(() => cli(args().map((a) => (a === 'support@shop.example' ? 'not-an-address' : a)), { input: 'pw\n', data: dir }), /address/);
  assert.throws(() => cli(args().map((a) => (a.startsWith('imaps://') ? 'http://mail.shop.example' : a)), { input: 'pw\n', data: dir }), /imap_url/);
  assert.throws(() => cli(['inbox', 'create', 'email', '--name', 'X', '--json'], { input: 'pw\n', data: dir }));
  assert.equal(cli(['inbox', 'list'], { data: dir }).trim(), '');
});

test('an email inbox is created with the password from stdin, which is never shown', async () => {
  const out = JSON.parse(cli(args(), { input: 'mailbox-password-42\n', data: dir }));
  assert.ok(Number.isInteger(out.id));
  assert.equal(out.channel, 'email');
  assert.equal(out.webhook_url, null);
  assert.ok(!cli(['inbox', 'list'], { data: dir }).includes('mailbox-password-42'));
  const server = await new Server(dir, ['--demo']).start();
  try {
    const token = await server.login();
    const inboxes = await server.request('GET', '/api/v1/inboxes', { token });
    const email = inboxes.json.items.find((i) => i.id === out.id);
    assert.equal(email.channel, 'email');
    assert.ok(!inboxes.text.includes('mailbox-password-42'));
    // Nothing posts mail to Meridian: the webhook route does not exist for email.
    const hook = await server.request('POST', `/webhooks/email/${out.id}`, { body: { x: 1 } });
    assert.equal(hook.status >= 400 && hook.status < 500, true);
  } finally {
    await server.stop();
  }
});
