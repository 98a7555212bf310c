// WhatsApp Cloud API inbox end to end: CLI, GET verification, signed webhooks, de-duplication,
// statuses (also before their message), replies through a stub Graph API with 429/500/400, and
// the 24-hour window (422 outside_messaging_window, templates allowed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { providerStub, metaSignature, conversationOf, messagesOf, messageById, formParts } from './lib/providers.mjs';

const APP_SECRET = 'wa-app-secret-123';
const PNID = '106540352242922';
let server, dir, inbox, token, stub;
let outId = 0;

before(async () => {
  dir = tempDir();
  // Only sends take the scripted answers: the media test's download (a GET) gets a 404.
  stub = await providerStub([{ status: 200, body: () => ({ messaging_product: 'whatsapp', messages: [{ id: `wamid.OUT${++outId}` }] }) }],
                            { scripted: (r) => r.method === 'POST' });
  inbox = JSON.parse(cli(['inbox', 'create', 'whatsapp', '--name', 'WA Shop', '--phone-number-id', PNID,
    '--access-token', 'EAAG-token', '--app-secret', APP_SECRET, '--verify-token', 'verify-me',
    '--api-base', stub.base + '/v21.0', '--template', 'order_update:en_US,de', '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

function textPayload({ id, from = '16315551181', name = 'Kerry Fisher', text = 'Hello', timestamp = Math.floor(Date.now() / 1000) }) {
  return { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PNID },
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id, timestamp: String(timestamp), type: 'text', text: { body: text } }] } }] }] };
}
function statusPayload(id, status, errors) {
  const s = { id, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '16315551181' };
  if (errors) s.errors = errors;
  return { object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PNID }, statuses: [s] } }] }] };
}
async function post(payload, { secret = APP_SECRET, signature } = {}) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  const sig = signature === undefined ? metaSignature(secret, body) : signature;
  if (sig !== null) headers['x-hub-signature-256'] = sig;
  return server.request('POST', `/webhooks/whatsapp/${inbox.id}`, { raw: body, headers });
}
async function reply(convId, body) {
  return server.request('POST', `/api/v1/conversations/${convId}/messages`, { token, body });
}

test('inbox create whatsapp --json prints the id and the webhook URL', () => {
  assert.ok(Number.isInteger(inbox.id));
  assert.equal(inbox.webhook_url, `/webhooks/whatsapp/${inbox.id}`);
  assert.equal(inbox.secret, undefined, 'provider secrets are not printed');
});

test('GET verification answers the challenge for the right token, 403 otherwise', async () => {
  const ok = await fetch(`${server.base}/webhooks/whatsapp/${inbox.id}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('content-type'), /text\/plain/);
  assert.equal(await ok.text(), '1158201444');
  const wrong = await fetch(`${server.base}/webhooks/whatsapp/${inbox.id}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
  assert.equal(wrong.status, 403);
  const other = await fetch(`${server.base}/webhooks/telegram/${inbox.id}?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1`);
  assert.equal(other.status, 404);
});

test('a signed message is stored once with the E.164 sender, even when delivered twice', async () => {
  const payload = textPayload({ id: 'wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', text: 'Where is my order?' });
  const first = await post(payload);
  assert.equal(first.status, 200);
  assert.equal(first.json.duplicate, false);
  const again = await post(payload);
  assert.equal(again.status, 200);
  assert.equal(again.json.duplicate, true);
  const conv = await conversationOf(server, token, 'Kerry Fisher');
  assert.ok(conv, 'the conversation appears');
  assert.equal(conv.channel ?? conv.inbox?.channel ?? 'whatsapp', 'whatsapp');
  const msgs = await messagesOf(server, token, 'Kerry Fisher');
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0].text, 'Where is my order?');
});

test('wrong or missing signatures are 401 and store nothing', async () => {
  const payload = textPayload({ id: 'wamid.sig', name: 'Sig Tester', from: '447700900123' });
  assert.equal((await post(payload, { secret: 'another-secret' })).status, 401);
  assert.equal((await post(payload, { signature: null })).status, 401);
  const r = await post(payload, { signature: 'sha256=00' });
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_signature');
  assert.equal((await messagesOf(server, token, 'Sig Tester')).length, 0);
});

test('media, location and a reply are stored with readable text', async () => {
  const p = textPayload({ id: 'wamid.media1', name: 'Media Sender', from: '4915123456789' });
  const v = p.entry[0].changes[0].value;
  v.messages = [
    { from: '4915123456789', id: 'wamid.media1', timestamp: '1700000000', type: 'image',
      image: { caption: 'Broken zipper', mime_type: 'image/jpeg', sha256: 'abc', id: '1003383421387256' } },
    { from: '4915123456789', id: 'wamid.loc1', timestamp: '1700000001', type: 'location',
      location: { latitude: 52.52, longitude: 13.405, name: 'Store', address: 'Berlin' },
      context: { from: '15550783881', id: 'wamid.OUT-earlier' } },
  ];
  assert.equal((await post(p)).status, 200);
  const msgs = await messagesOf(server, token, 'Media Sender');
  assert.deepEqual(msgs.map((m) => m.content_type), ['image', 'location']);
  assert.equal(msgs[0].text, 'Broken zipper');
  assert.deepEqual(msgs[0].meta, { media_id: '1003383421387256', media_mime: 'image/jpeg' });
  assert.match(msgs[1].text, /Store, Berlin/);
  assert.deepEqual(msgs[1].meta, { location: { lat: 52.52, lon: 13.405 }, reply_to: 'wamid.OUT-earlier' });
});

test('agent reply goes to the Graph API; 429 Retry-After, then 500, then success; statuses apply', async () => {
  const conv = await conversationOf(server, token, 'Kerry Fisher');
  stub.received.length = 0;
  stub.setScript([
    { status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'slow down', code: 130429 } } },
    { status: 500, body: { error: { message: 'oops', code: 1 } } },
    { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: '16315551181', wa_id: '16315551181' }], messages: [{ id: 'wamid.REPLY1' }] } },
  ]);
  const sent = await reply(conv.id, { text: 'It ships today.' });
  assert.equal(sent.status, 201);
  const sends = () => stub.received.filter((r) => r.method === 'POST');
  await until(() => sends().length >= 3, { timeout: 15000 });
  const [first, second, third] = sends();
  assert.ok(second.at - first.at >= 900, `Retry-After honoured (waited ${second.at - first.at} ms)`);
  assert.equal(third.method, 'POST');
  assert.equal(third.url, `/v21.0/${PNID}/messages`);
  assert.equal(third.headers.authorization, 'Bearer EAAG-token');
  assert.deepEqual(JSON.parse(third.body), { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16315551181',
    type: 'text', text: { preview_url: false, body: 'It ships today.' } });
  await until(async () => (await messageById(server, token, conv.id, sent.json.id)).status === 'sent');
  assert.equal((await post(statusPayload('wamid.REPLY1', 'delivered'))).status, 200);
  await until(async () => (await messageById(server, token, conv.id, sent.json.id)).status === 'delivered');
  // A late "sent" does not move it back.
  await post(statusPayload('wamid.REPLY1', 'sent'));
  assert.equal((await messageById(server, token, conv.id, sent.json.id)).status, 'delivered');
});

test('an agent\'s PDF reaches the customer: uploaded to /media, then sent as a document by its id', async () => {
  const conv = await conversationOf(server, token, 'Kerry Fisher');
  const detail = await server.request('GET', `/api/v1/conversations/${conv.id}`, { token });
  assert.ok(detail.json.uploads && detail.json.uploads.types.includes('application/pdf'), 'the workspace offers files here');
  assert.equal(detail.json.uploads.captions, true);
  assert.equal(detail.json.uploads.max_caption_chars, 1024);
  const pdf = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
  stub.received.length = 0;
  stub.setScript([{ status: 200, body: (e) => (e.url.endsWith('/media') ? { id: 'media-77' }
    : { messaging_product: 'whatsapp', messages: [{ id: 'wamid.FILE1' }] }) }]);
  const r = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: pdf, token,
    headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Rücksendeschein.pdf'),
               'x-caption': encodeURIComponent('Ihr Rücksendeschein') },
  });
  assert.equal(r.status, 201, r.text);
  await until(async () => (await messageById(server, token, conv.id, r.json.id)).status === 'sent');
  const [upload, send] = stub.received.filter((x) => x.method === 'POST');
  assert.equal(upload.url, `/v21.0/${PNID}/media`);
  assert.equal(upload.headers.authorization, 'Bearer EAAG-token');
  const parts = formParts(upload);
  assert.equal(parts.messaging_product.data.toString(), 'whatsapp');
  assert.equal(parts.type.data.toString(), 'application/pdf');
  assert.equal(parts.file.filename, 'Rücksendeschein.pdf');
  assert.deepEqual(parts.file.data, pdf);
  assert.deepEqual(JSON.parse(send.body), { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16315551181',
    type: 'document', document: { id: 'media-77', caption: 'Ihr Rücksendeschein', filename: 'Rücksendeschein.pdf' } });

  // A caption over WhatsApp's 1,024 characters is refused before anything is stored.
  const long = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: pdf, token, headers: { 'content-type': 'application/pdf', 'x-caption': encodeURIComponent('x'.repeat(1025)) },
  });
  assert.equal(long.status, 422);
  assert.equal(long.json.error.code, 'caption_too_long');
  stub.setScript([{ status: 200, body: () => ({ messaging_product: 'whatsapp', messages: [{ id: `wamid.OUT${++outId}` }] }) }]);
});

test('a status that arrives before its message is applied when the message is sent', async () => {
  const conv = await conversationOf(server, token, 'Kerry Fisher');
  assert.equal((await post(statusPayload('wamid.EARLY', 'read'))).status, 200);
  stub.setScript([{ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.EARLY' }] } }]);
  const sent = await reply(conv.id, { text: 'Read before sent?' });
  await until(async () => (await messageById(server, token, conv.id, sent.json.id)).status === 'read');
});

test('a failed status carries the provider error; permanent 400 is a dead letter', async () => {
  const conv = await conversationOf(server, token, 'Kerry Fisher');
  stub.setScript([{ status: 200, body: { messages: [{ id: 'wamid.FAILS' }] } }]);
  const sent = await reply(conv.id, { text: 'This one will fail' });
  await until(async () => (await messageById(server, token, conv.id, sent.json.id)).status === 'sent');
  await post(statusPayload('wamid.FAILS', 'failed', [{ code: 131026, title: 'Message undeliverable' }]));
  const failed = await until(async () => {
    const m = await messageById(server, token, conv.id, sent.json.id);
    return m.status === 'failed' && m;
  });
  assert.match(failed.error, /131026/);

  stub.setScript([{ status: 400, body: { error: { message: '(#100) Invalid parameter', code: 100 } } }]);
  const bad = await reply(conv.id, { text: 'To an invalid recipient' });
  await until(async () => (await messageById(server, token, conv.id, bad.json.id)).status === 'failed');
  const letters = await server.request('GET', '/api/v1/dead-letters', { token });
  const letter = letters.json.items.find((l) => l.message_id === bad.json.id);
  assert.ok(letter, 'visible as a dead letter');
  assert.equal(letter.attempts, 1, 'a permanent error is not retried');
  assert.match(letter.last_error, /400/);
});

test('outside 24 hours only approved templates: 422 outside_messaging_window', async () => {
  const old = Math.floor(Date.now() / 1000) - 25 * 3600;
  await post(textPayload({ id: 'wamid.old', from: '12025550143', name: 'Late Customer', text: 'Hi from yesterday', timestamp: old }));
  const conv = await conversationOf(server, token, 'Late Customer');
  const refused = await reply(conv.id, { text: 'Sorry for the delay' });
  assert.equal(refused.status, 422);
  assert.equal(refused.json.error.code, 'outside_messaging_window');
  assert.equal(refused.json.error.window_closed_at, new Date((old + 24 * 3600) * 1000).toISOString().replace(/\.\d+Z$/, '.000Z'));
  assert.deepEqual(refused.json.error.allowed_templates, [{ name: 'order_update', languages: ['en_US', 'de'], parameter_count: null, body: '' }]);
  assert.equal((await messagesOf(server, token, 'Late Customer')).length, 1, 'nothing stored');

  const unknown = await reply(conv.id, { template: { name: 'promo', language: 'en_US' } });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.code, 'unknown_template');

  stub.received.length = 0;
  stub.setScript([{ status: 200, body: { messages: [{ id: 'wamid.TPL' }] } }]);
  const ok = await reply(conv.id, { template: { name: 'order_update', language: 'de', parameters: ['10234', 'morgen'] } });
  assert.equal(ok.status, 201);
  await until(() => stub.received.length >= 1);
  assert.deepEqual(JSON.parse(stub.received[0].body), { messaging_product: 'whatsapp', recipient_type: 'individual', to: '12025550143',
    type: 'template', template: { name: 'order_update', language: { code: 'de' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: '10234' }, { type: 'text', text: 'morgen' }] }] } });
});
