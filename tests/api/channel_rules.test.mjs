// Provider rules in the agents' hands (issue 3): the messaging window in the conversation JSON,
// WhatsApp templates stored per inbox (admin API, exact send format, 422s), dead letters on the
// message and in the supervisors' list, and the manual retry (dead -> retried -> delivered; 409;
// 403). Times come from the webhook payloads (the server has no fake clock).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { providerStub, metaSignature, conversationOf, messageById } from './lib/providers.mjs';

const APP_SECRET = 'wa-rules-secret';
const PNID = '106540352242922';
const HOUR = 3600;
let server, dir, wa, messenger, admin, agent, other, stub;

before(async () => {
  dir = tempDir();
  stub = await providerStub([{ status: 200, body: { messages: [{ id: 'wamid.DEFAULT' }] } }]);
  wa = JSON.parse(cli(['inbox', 'create', 'whatsapp', '--name', 'WA Rules', '--phone-number-id', PNID,
    '--access-token', 'EAAG-token', '--app-secret', APP_SECRET, '--verify-token', 'v',
    '--api-base', stub.base + '/v21.0', '--template', 'legacy_notice:en', '--json'], { data: dir }));
  messenger = JSON.parse(cli(['inbox', 'create', 'messenger', '--name', 'FB Rules', '--page-id', '1234567890',
    '--page-access-token', 't', '--app-secret', 'fb-secret', '--verify-token', 'v', '--api-base', stub.base + '/v21.0',
    '--json'], { data: dir }));
  for (const [email, role] of [['ana@example.com', 'agent'], ['bo@example.com', 'agent']]) {
    cli(['agent', 'create', '--email', email, '--name', email.split('@')[0], '--role', role, '--json'],
      { data: dir, input: 'agent-pass-123\n' });
  }
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  admin = await server.login();
  agent = await server.login('ana@example.com', 'agent-pass-123');
  other = await server.login('bo@example.com', 'agent-pass-123');
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

const iso = (seconds) => new Date(seconds * 1000).toISOString();
async function postWhatsApp(id, from, name, timestamp, text = 'Hello') {
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PNID },
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id, timestamp: String(timestamp), type: 'text', text: { body: text } }] } }] }] });
  const r = await server.request('POST', `/webhooks/whatsapp/${wa.id}`, { raw: body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(APP_SECRET, body) } });
  assert.equal(r.status, 200, r.text);
}
const getConversation = async (id, token = admin) => (await server.request('GET', `/api/v1/conversations/${id}`, { token })).json;
const reply = (id, body, token = admin) => server.request('POST', `/api/v1/conversations/${id}/messages`, { token, body });

test('the conversation JSON tells the window: open with closes_at, closed with the templates', async () => {
  const now = Math.floor(Date.now() / 1000);
  await postWhatsApp('wamid.recent', '4915111111111', 'Recent Rita', now - 2 * HOUR);
  await postWhatsApp('wamid.late', '4915122222222', 'Late Lars', now - 30 * HOUR);
  const recent = await getConversation((await conversationOf(server, admin, 'Recent Rita')).id, agent);
  assert.equal(recent.window.state, 'open');
  assert.equal(recent.window.closes_at, iso(now - 2 * HOUR + 24 * HOUR));
  assert.equal(recent.window.expires_at, iso(now - 2 * HOUR + 24 * HOUR));
  const late = await getConversation((await conversationOf(server, admin, 'Late Lars')).id, agent);
  assert.equal(late.window.state, 'closed');
  assert.equal(late.window.closes_at, iso(now - 30 * HOUR + 24 * HOUR));
  // The template the CLI recorded (moved from the inbox config into the store).
  assert.deepEqual(late.window.allowed_templates, [{ name: 'legacy_notice', languages: ['en'], parameter_count: null, body: '' }]);

  // Messenger: 2 days after the customer's message only a human agent may write, until day 7.
  const body = JSON.stringify({ object: 'page', entry: [{ id: '1234567890', time: Date.now(), messaging: [{
    sender: { id: 'psid-window' }, recipient: { id: '1234567890' }, timestamp: (now - 48 * HOUR) * 1000,
    message: { mid: 'm_window', text: 'any news?' } }] }] });
  await server.request('POST', `/webhooks/messenger/${messenger.id}`, { raw: body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature('fb-secret', body) } });
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token: admin });
  const fb = await getConversation(list.json.items.find((c) => c.inbox.id === messenger.id).id);
  assert.equal(fb.window.state, 'human_agent_only');
  assert.equal(fb.window.expires_at, iso(now - 48 * HOUR + 7 * 24 * HOUR));
  assert.deepEqual(fb.window.allowed_templates, []);

  // A channel without a window (the demo's web chat).
  const webchat = list.json.items.find((c) => c.inbox.channel === 'webchat');
  if (webchat) assert.equal((await getConversation(webchat.id)).window.state, 'none');
});

test('templates per inbox: agents read, admins write; bad input 422 and nothing stored', async () => {
  const path = `/api/v1/inboxes/${wa.id}/templates`;
  const tpl = { name: 'order_shipped', languages: ['en_US', 'de'], parameter_count: 2,
    body: 'Your order {{1}} ships {{2}}.' };
  const denied = await server.request('POST', path, { token: agent, body: tpl });
  assert.equal(denied.status, 403);
  for (const bad of [{ ...tpl, name: 'Order Shipped' }, { ...tpl, languages: [] }, { ...tpl, languages: ['english!'] },
    { ...tpl, parameter_count: -1 }, { name: 'x' }]) {
    const r = await server.request('POST', path, { token: admin, body: bad });
    assert.equal(r.status, 422, JSON.stringify(bad));
    assert.ok(r.json.error.code && r.json.error.message);
  }
  assert.equal((await server.request('POST', path, { token: admin, raw: '{', headers: { 'content-type': 'application/json' } })).status, 400);
  const created = await server.request('POST', path, { token: admin, body: tpl });
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.json, tpl);
  const listed = await server.request('GET', path, { token: agent });
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.json.items.map((t) => t.name), ['legacy_notice', 'order_shipped']);
  // Messenger has no templates.
  const fb = await server.request('POST', `/api/v1/inboxes/${messenger.id}/templates`, { token: admin, body: tpl });
  assert.equal(fb.status, 422);
  // Removing one language, then an unknown template.
  await server.request('POST', path, { token: admin, body: { name: 'temp_notice', languages: ['en', 'fr'] } });
  assert.equal((await server.request('DELETE', `${path}/temp_notice?language=fr`, { token: admin })).status, 200);
  const after = (await server.request('GET', path, { token: agent })).json.items.find((t) => t.name === 'temp_notice');
  assert.deepEqual(after.languages, ['en']);
  assert.equal((await server.request('DELETE', `${path}/temp_notice`, { token: agent })).status, 403);
  assert.equal((await server.request('DELETE', `${path}/temp_notice`, { token: admin })).status, 200);
  assert.equal((await server.request('DELETE', `${path}/temp_notice`, { token: admin })).status, 404);
});

test('a closed window sends a template in WhatsApp\'s exact format; wrong language or parameters 422', async () => {
  const conv = await conversationOf(server, admin, 'Late Lars');
  const before = (await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token: admin })).json.items.length;
  const notApproved = await reply(conv.id, { template: { name: 'order_shipped', language: 'fr', parameters: ['1', '2'] } });
  assert.equal(notApproved.status, 422);
  assert.equal(notApproved.json.error.code, 'unknown_template');
  const wrongCount = await reply(conv.id, { template: { name: 'order_shipped', language: 'de', parameters: ['10234'] } });
  assert.equal(wrongCount.status, 422);
  assert.match(wrongCount.json.error.message, /2 parameters/);
  const freeText = await reply(conv.id, { text: 'Hi again' });
  assert.equal(freeText.status, 422);
  assert.equal(freeText.json.error.code, 'outside_messaging_window');
  assert.equal((await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token: admin })).json.items.length, before,
    'nothing stored by refused sends');

  stub.received.length = 0;
  stub.setScript([{ status: 200, body: { messaging_product: 'whatsapp', messages: [{ id: 'wamid.TPL2' }] } }]);
  const ok = await reply(conv.id, { template: { name: 'order_shipped', language: 'de', parameters: ['10234', 'morgen'] } }, agent);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.text, 'Your order 10234 ships morgen.', 'agents see what the customer reads');
  await until(() => stub.received.length >= 1);
  assert.equal(stub.received[0].url, `/v21.0/${PNID}/messages`);
  assert.deepEqual(JSON.parse(stub.received[0].body), { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915122222222',
    type: 'template', template: { name: 'order_shipped', language: { code: 'de' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: '10234' }, { type: 'text', text: 'morgen' }] }] } });
});

test('dead letters: on the message with the provider error, in the list; retry 403 / 200 -> delivered / 409', async () => {
  const conv = await conversationOf(server, admin, 'Recent Rita');
  stub.setScript([{ status: 400, body: { error: { message: '(#131030) Recipient phone number not in allowed list', code: 131030 } } }]);
  const sent = await reply(conv.id, { text: 'Your refund is on its way.' });
  assert.equal(sent.status, 201);
  const failed = await until(async () => {
    const m = await messageById(server, admin, conv.id, sent.json.id);
    return m.status === 'failed' && m;
  });
  assert.match(failed.error, /131030/);
  assert.ok(Number.isInteger(failed.dead_letter_id), 'the message points at its dead letter');

  const list = await server.request('GET', '/api/v1/dead-letters', { token: admin });
  const letter = list.json.items.find((l) => l.id === failed.dead_letter_id);
  assert.equal(letter.conversation_id, conv.id);
  assert.equal(letter.text, 'Your refund is on its way.');
  assert.equal(letter.inbox.channel, 'whatsapp');
  assert.equal((await server.request('GET', '/api/v1/dead-letters', { token: agent })).status, 403);

  // An agent who neither wrote it nor holds the conversation may not retry it.
  const forbidden = await server.request('POST', `/api/v1/dead-letters/${letter.id}/retry`, { token: agent, body: {} });
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.json.error.code, 'forbidden');
  assert.equal((await server.request('POST', '/api/v1/dead-letters/999999/retry', { token: admin, body: {} })).status, 404);
  assert.equal((await messageById(server, admin, conv.id, sent.json.id)).status, 'failed', 'nothing changed');

  // Once the conversation is assigned to her, she may; the stub now delivers.
  const me = (await server.request('GET', '/api/v1/me', { token: agent })).json;
  assert.equal((await server.request('POST', `/api/v1/conversations/${conv.id}/assign`, { token: admin, body: { agent_id: me.id } })).status, 200);
  stub.received.length = 0;
  stub.setScript([{ status: 200, body: { messages: [{ id: 'wamid.RETRIED' }] } }]);
  const retried = await server.request('POST', `/api/v1/dead-letters/${letter.id}/retry`, { token: agent, body: {} });
  assert.equal(retried.status, 200, retried.text);
  assert.equal(retried.json.status, 'pending');
  await until(() => stub.received.length >= 1);
  assert.equal(JSON.parse(stub.received[0].body).text.body, 'Your refund is on its way.');
  const delivered = await until(async () => {
    const m = await messageById(server, admin, conv.id, sent.json.id);
    return m.status === 'sent' && m;
  });
  assert.equal(delivered.error, undefined);
  assert.equal(delivered.dead_letter_id, undefined);
  const after = await server.request('GET', '/api/v1/dead-letters', { token: admin });
  assert.ok(!after.json.items.some((l) => l.id === letter.id), 'no longer a dead letter');

  const again = await server.request('POST', `/api/v1/dead-letters/${letter.id}/retry`, { token: admin, body: {} });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'not_dead_letter');
  // Supervisors and admins may retry anything; the other agent still may not.
  assert.equal((await server.request('POST', `/api/v1/dead-letters/${letter.id}/retry`, { token: other, body: {} })).status, 403);
});
