// LINE inbox end to end: x-line-signature, webhookEventId de-duplication (redelivery), reply
// token while valid, push otherwise, through a stub Messaging API with 429/500/400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { providerStub, lineSignature, conversationOf, messagesOf, exerciseOutbox } from './lib/providers.mjs';

const SECRET = 'line-channel-secret';
let server, dir, inbox, token, stub;
before(async () => {
  dir = tempDir();
  stub = await providerStub([{ status: 200, body: { sentMessages: [{ id: '461230966842064897', quoteToken: 'q' }] } }]);
  inbox = JSON.parse(cli(['inbox', 'create', 'line', '--name', 'LINE', '--channel-secret', SECRET,
    '--channel-access-token', 'line-token', '--api-base', stub.base, '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

const event = (eventId, text, { user = 'U4af4980629', redelivery = false, replyToken = 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA' } = {}) => ({
  destination: 'xxxxxxxxxx', events: [{ type: 'message', mode: 'active', timestamp: Date.now(),
    source: { type: 'user', userId: user }, webhookEventId: eventId, deliveryContext: { isRedelivery: redelivery },
    replyToken, message: { id: '444573844083572737', type: 'text', quoteToken: 'q3Plxr4A', text } }] });
async function post(payload, secret = SECRET) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  if (secret) headers['x-line-signature'] = lineSignature(secret, body);
  return server.request('POST', `/webhooks/line/${inbox.id}`, { raw: body, headers });
}

test('an empty events list (the console verify button) is 200', async () => {
  assert.equal((await post({ destination: 'xxxxxxxxxx', events: [] })).status, 200);
});

test('a signed event is stored once, also when LINE redelivers it; bad signature 401', async () => {
  assert.equal((await post(event('01FZ74A0TDDPYRVKNK77XKC3ZR', 'こんにちは'))).status, 200);
  const again = await post(event('01FZ74A0TDDPYRVKNK77XKC3ZR', 'こんにちは', { redelivery: true }));
  assert.equal(again.json.duplicate, true);
  const conv = await until(() => conversationOf(server, token, ''));
  const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
  assert.equal(msgs.json.items.length, 1);
  assert.equal((await post(event('01FZ74A0TDDPYRVKNK77XKC3ZZ', 'forged', { user: 'Uforged' }), 'other')).status, 401);
  assert.equal((await post(event('01FZ74A0TDDPYRVKNK77XKC3ZZ', 'forged', { user: 'Uforged' }), null)).status, 401);
});

test('a reply within the token lifetime uses the reply token, later ones push', async () => {
  const conv = await conversationOf(server, token, '');
  stub.received.length = 0;
  stub.setScript([{ status: 200, body: { sentMessages: [{ id: '1', quoteToken: 'q' }] } }]);
  await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text: 'ありがとう' } });
  await until(() => stub.received.length >= 1);
  assert.equal(stub.received[0].url, '/v2/bot/message/reply');
  assert.deepEqual(JSON.parse(stub.received[0].body), { replyToken: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA', messages: [{ type: 'text', text: 'ありがとう' }] });
  assert.equal(stub.received[0].headers.authorization, 'Bearer line-token');
});

test('push with 429 Retry-After, 500, success; 400 dead letter', async () => {
  // A redelivered event carries no usable reply token: replies push.
  await post(event('01FZ74A0TDDPYRVKNK77XKC4AA', 'again?', { redelivery: true, replyToken: 'stale' }));
  const conv = await conversationOf(server, token, '');
  const { requests } = await exerciseOutbox({ server, token, stub, convId: conv.id,
    okBody: { sentMessages: [{ id: '461230966842064898', quoteToken: 'q' }] }, badBody: { message: 'The property, \'to\', in the request body is invalid' } });
  assert.equal(requests[2].url, '/v2/bot/message/push');
  assert.deepEqual(JSON.parse(requests[2].body), { to: 'U4af4980629', messages: [{ type: 'text', text: 'Your parcel ships today.' }] });
  assert.match(requests[2].headers['x-line-retry-key'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(requests[0].headers['x-line-retry-key'], requests[2].headers['x-line-retry-key']);
});

test('an agent file is 422 attachments_not_supported (LINE needs a public URL) and nothing is stored', async () => {
  const conv = await until(() => conversationOf(server, token, ''));
  const blobs = () => (existsSync(join(dir, 'blobs')) ? readdirSync(join(dir, 'blobs'), { recursive: true }).length : 0);
  const before = blobs();
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\nfor LINE', 'latin1');
  const r = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: pdf, token, headers: { 'content-type': 'application/pdf' },
  });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'attachments_not_supported');
  assert.equal(blobs(), before);
  const detail = await server.request('GET', `/api/v1/conversations/${conv.id}`, { token });
  assert.equal(detail.json.uploads, null, 'the workspace offers no file button here');
});
