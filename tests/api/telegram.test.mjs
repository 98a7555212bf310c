// Telegram bot inbox end to end: secret token header, update_id de-duplication, sendMessage
// through a stub Bot API with 429/500/400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { providerStub, conversationOf, messagesOf, messageById, exerciseOutbox, formParts } from './lib/providers.mjs';

let server, dir, inbox, token, stub;
before(async () => {
  dir = tempDir();
  stub = await providerStub([{ status: 200, body: { ok: true, result: { message_id: 1 } } }]);
  inbox = JSON.parse(cli(['inbox', 'create', 'telegram', '--name', 'Bot', '--bot-token', '123456:ABC-DEF',
    '--secret-token', 'tg-secret_1', '--api-base', stub.base, '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

const update = (id, text, chat = 1111111, first = 'Test', last = 'Lastname') => ({ update_id: id, message: {
  message_id: 1365, from: { id: chat, is_bot: false, first_name: first, last_name: last, language_code: 'en' },
  chat: { id: chat, first_name: first, last_name: last, type: 'private' }, date: Math.floor(Date.now() / 1000), text } });
const post = (payload, secret = 'tg-secret_1') => server.request('POST', `/webhooks/telegram/${inbox.id}`, {
  raw: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) } });

test('inbox create telegram prints the webhook URL', () => {
  assert.equal(inbox.webhook_url, `/webhooks/telegram/${inbox.id}`);
});

test('an update is stored once; wrong or missing secret token is 401 and stores nothing', async () => {
  assert.equal((await post(update(10000, 'Hallo, wo bleibt mein Paket?'))).status, 200);
  assert.equal((await post(update(10000, 'Hallo, wo bleibt mein Paket?'))).json.duplicate, true);
  assert.equal((await messagesOf(server, token, 'Test Lastname')).length, 1);
  assert.equal((await post(update(10001, 'forged', 222, 'Forged', 'User'), 'wrong')).status, 401);
  assert.equal((await post(update(10002, 'forged', 222, 'Forged', 'User'), null)).status, 401);
  assert.equal((await messagesOf(server, token, 'Forged User')).length, 0);
});

test('replies go out with sendMessage: 429 Retry-After, 500, success; 400 dead letter', async () => {
  const conv = await conversationOf(server, token, 'Test Lastname');
  const { requests } = await exerciseOutbox({ server, token, stub, convId: conv.id,
    okBody: { ok: true, result: { message_id: 1366, chat: { id: 1111111 } } },
    badBody: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } });
  const last = requests[2];
  assert.equal(last.url, '/bot123456:ABC-DEF/sendMessage');
  assert.deepEqual(JSON.parse(last.body), { chat_id: '1111111', text: 'Your parcel ships today.' });
});

test('an agent\'s photo goes out with sendPhoto, multipart, with its caption', async () => {
  const conv = await conversationOf(server, token, 'Test Lastname');
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
                             Buffer.from('IHDR'), Buffer.alloc(64, 7)]);
  stub.setScript([{ status: 200, body: { ok: true, result: { message_id: 501 } } }]);
  stub.received.length = 0;
  const r = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: png, token,
    headers: { 'content-type': 'image/png', 'x-filename': 'damage.png', 'x-caption': encodeURIComponent('Is it this one?') },
  });
  assert.equal(r.status, 201, r.text);
  await until(async () => (await messageById(server, token, conv.id, r.json.id)).status === 'sent');
  const sent = stub.received.find((x) => x.method === 'POST');
  assert.equal(sent.url, '/bot123456:ABC-DEF/sendPhoto');
  const parts = formParts(sent);
  assert.equal(parts.chat_id.data.toString(), '1111111');
  assert.equal(parts.caption.data.toString(), 'Is it this one?');
  assert.equal(parts.photo.filename, 'damage.png');
  assert.equal(parts.photo.type, 'image/png');
  assert.deepEqual(parts.photo.data, png);
});
