// SMS (Twilio) inbox end to end: X-Twilio-Signature over URL + sorted form parameters, E.164
// senders, MessageSid de-duplication, status callbacks (also before the message), Messages API
// through a stub with 429/500/400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { providerStub, twilioSignature, conversationOf, messagesOf, messageById, exerciseOutbox } from './lib/providers.mjs';

const SID = 'ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';
const AUTH = 'twilio-auth-token';
let server, dir, inbox, token, stub;
before(async () => {
  dir = tempDir();
  stub = await providerStub([{ status: 201, body: { sid: 'SM0' } }]);
  inbox = JSON.parse(cli(['inbox', 'create', 'twilio', '--name', 'SMS', '--account-sid', SID, '--auth-token', AUTH,
    '--from', '+14155550100', '--api-base', stub.base, '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

async function post(params, { auth = AUTH, sign = true } = {}) {
  const path = `/webhooks/twilio/${inbox.id}`;
  const body = new URLSearchParams(params).toString();
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (sign) headers['x-twilio-signature'] = twilioSignature(auth, server.base + path, params);
  return server.request('POST', path, { raw: body, headers });
}
const sms = (sid, from, text) => ({ ToCountry: 'US', SmsMessageSid: sid, NumMedia: '0', SmsSid: sid, SmsStatus: 'received',
  Body: text, To: '+14155550100', NumSegments: '1', MessageSid: sid, AccountSid: SID, From: from, ApiVersion: '2010-04-01' });

test('inbox create twilio prints the webhook URL', () => {
  assert.equal(inbox.webhook_url, `/webhooks/twilio/${inbox.id}`);
});

test('a signed SMS is stored once under its E.164 sender; bad or missing signature 401', async () => {
  const first = await post(sms('SM1a2b3c', '+4915112345678', 'Wann kommt mein Paket?'));
  assert.equal(first.status, 200);
  // Twilio reads the answer as TwiML: an empty <Response/> means "no automatic reply".
  assert.match(first.headers.get('content-type'), /^text\/xml/);
  assert.match(first.text, /^<\?xml version="1.0" encoding="UTF-8"\?><Response\/>$/);
  const again = await post(sms('SM1a2b3c', '+4915112345678', 'Wann kommt mein Paket?'));
  assert.equal(again.status, 200);
  assert.match(again.text, /<Response\/>/);
  assert.equal((await post(sms('SMforged', '+4915100000000', 'x'), { auth: 'wrong' })).status, 401);
  assert.equal((await post(sms('SMforged', '+4915100000000', 'x'), { sign: false })).status, 401);
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  const convs = list.json.items.filter((c) => (c.inbox_id ?? c.inbox?.id) === inbox.id);
  assert.equal(convs.length, 1);
  const msgs = await server.request('GET', `/api/v1/conversations/${convs[0].id}/messages`, { token });
  assert.deepEqual(msgs.json.items.map((m) => m.text), ['Wann kommt mein Paket?']);
});

test('replies via the Messages API: 429/500/success, 400 dead letter; status callbacks apply', async () => {
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  const conv = list.json.items.find((c) => (c.inbox_id ?? c.inbox?.id) === inbox.id);
  const { requests, messageId } = await exerciseOutbox({ server, token, stub, convId: conv.id,
    okBody: { sid: 'SMout1', status: 'queued' }, badBody: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
  const last = requests[2];
  assert.equal(last.url, `/2010-04-01/Accounts/${SID}/Messages.json`);
  assert.equal(last.headers.authorization, 'Basic ' + Buffer.from(`${SID}:${AUTH}`).toString('base64'));
  assert.deepEqual(Object.fromEntries(new URLSearchParams(last.body)), { To: '+4915112345678', Body: 'Your parcel ships today.', From: '+14155550100' });
  await post({ MessageSid: 'SMout1', MessageStatus: 'delivered', AccountSid: SID, To: '+4915112345678', From: '+14155550100' });
  await until(async () => (await messageById(server, token, conv.id, messageId)).status === 'delivered');

  await post({ MessageSid: 'SMearly', MessageStatus: 'undelivered', ErrorCode: '30003', AccountSid: SID, To: '+4915112345678' });
  stub.setScript([{ status: 201, body: { sid: 'SMearly' } }]);
  const sent = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text: 'early' } });
  const m = await until(async () => { const x = await messageById(server, token, conv.id, sent.json.id); return x.status === 'failed' && x; });
  assert.equal(m.error, '30003 Unreachable destination handset');

  // A status callback carries only ErrorCode: agents read what it means.
  stub.setScript([{ status: 201, body: { sid: 'SMfiltered' } }]);
  const filtered = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text: 'promo?' } });
  await until(async () => (await messageById(server, token, conv.id, filtered.json.id)).status === 'sent');
  const cb = await post({ MessageSid: 'SMfiltered', MessageStatus: 'undelivered', ErrorCode: '30007', AccountSid: SID, To: '+4915112345678' });
  assert.equal(cb.status, 200);
  assert.match(cb.text, /<Response\/>/);
  const f = await until(async () => { const x = await messageById(server, token, conv.id, filtered.json.id); return x.status === 'failed' && x; });
  assert.equal(f.error, '30007 Message filtered (carrier violation)');
});

test('errors are still JSON for Twilio: a bad signature is 401 with an error body', async () => {
  const r = await post(sms('SMbad', '+4915100000001', 'x'), { auth: 'wrong' });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_signature');
});
