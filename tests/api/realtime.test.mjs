import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, openSocket, postInbound, cli } from './lib/harness.mjs';

let server, dir, token, webInbox;
before(async () => {
  dir = tempDir();
  server = await new Server(dir, ['--demo']).start();
  token = await server.login();
  const inboxes = await server.request('GET', '/api/v1/inboxes', { token });
  webInbox = inboxes.json.items.find((i) => i.channel === 'webchat').id;
});
after(async () => { await server.stop(); cleanup(dir); });

async function visitorSession(body = {}) {
  const r = await server.request('POST', `/api/v1/widget/${webInbox}/session`, { body });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  return r.json;
}

test('a visitor message reaches the agent socket live; the reply reaches the visitor live', async () => {
  const agent = await openSocket(`${server.wsBase}/api/v1/ws?token=${token}`);
  const session = await visitorSession({ locale: 'de-DE' });
  const visitor = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(session.token)}`);

  visitor.send({ type: 'message', client_message_id: 'c-1', text: 'Hallo, wo ist meine Bestellung?' });
  const ack = await visitor.next((f) => f.type === 'ack');
  assert.equal(ack.client_message_id, 'c-1');
  assert.equal(ack.message.text, 'Hallo, wo ist meine Bestellung?');

  const created = await agent.next((f) => f.type === 'message.created' && f.message.text === 'Hallo, wo ist meine Bestellung?');
  assert.equal(created.conversation.unread_count, 1);
  assert.equal(created.conversation.inbox.channel, 'webchat');

  visitor.send({ type: 'typing' });
  const typing = await agent.next((f) => f.type === 'typing');
  assert.equal(typing.conversation_id, created.conversation.id);

  const reply = await server.request('POST', `/api/v1/conversations/${created.conversation.id}/messages`,
                                     { token, body: { text: 'Ihr Paket ist unterwegs.' } });
  assert.equal(reply.status, 201);
  assert.equal(reply.json.status, 'sent');
  const delivered = await visitor.next((f) => f.type === 'message');
  assert.equal(delivered.message.text, 'Ihr Paket ist unterwegs.');
  assert.equal(delivered.message.sender_kind, 'agent');
  agent.close();
  visitor.close();
});

test('re-sending the same client_message_id stores nothing new and acks the same message', async () => {
  const session = await visitorSession();
  const visitor = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(session.token)}`);
  visitor.send({ type: 'message', client_message_id: 'dup-1', text: 'once' });
  const a1 = await visitor.next((f) => f.type === 'ack');
  visitor.close();
  const again = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(session.token)}`);
  again.send({ type: 'message', client_message_id: 'dup-1', text: 'once' });
  const a2 = await again.next((f) => f.type === 'ack');
  assert.equal(a2.message.id, a1.message.id);
  const history = await server.request('GET', `/api/v1/widget/messages?token=${encodeURIComponent(session.token)}`);
  assert.equal(history.json.items.length, 1);
  assert.equal(history.json.items[0].client_message_id, 'dup-1');
  again.close();
});

test('a visitor token resumes the same visitor and conversation; a forged one does not', async () => {
  const s1 = await visitorSession();
  const v = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(s1.token)}`);
  v.send({ type: 'message', client_message_id: 'r-1', text: 'first visit' });
  const ack = await v.next((f) => f.type === 'ack');
  v.close();
  const s2 = await visitorSession({ token: s1.token });
  assert.equal(s2.visitor.id, s1.visitor.id);
  assert.equal(s2.conversation_id, ack.message.conversation_id);
  const forged = s1.token.slice(0, -3) + 'AAA';
  const s3 = await visitorSession({ token: forged });
  assert.notEqual(s3.visitor.id, s1.visitor.id);
  assert.equal(s3.conversation_id, null);
  const denied = await server.request('GET', `/api/v1/widget/messages?token=${encodeURIComponent(forged)}`);
  assert.equal(denied.status, 401);
  await assert.rejects(openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(forged)}`));
});

test('bad widget frames get an error frame and store nothing', async () => {
  const s = await visitorSession();
  const v = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(s.token)}`);
  v.send({ type: 'message', text: 'no client id' });
  const e1 = await v.next((f) => f.type === 'error');
  assert.equal(e1.error.code, 'missing_field');
  v.ws.send('not json');
  const e2 = await v.next((f) => f.type === 'error');
  assert.equal(e2.error.code, 'invalid_json');
  v.send({ type: 'message', client_message_id: 'big', text: 'x'.repeat(20000) });
  const e3 = await v.next((f) => f.type === 'error');
  assert.equal(e3.error.code, 'too_large');
  const h = await server.request('GET', `/api/v1/widget/messages?token=${encodeURIComponent(s.token)}`);
  assert.equal(h.json.items.length, 0);
  v.close();
});

test('the agent socket refuses unauthenticated and cross-origin cookie connections', async () => {
  await assert.rejects(openSocket(`${server.wsBase}/api/v1/ws`));
  await assert.rejects(openSocket(`${server.wsBase}/api/v1/ws?token=nope`));
});

test('a widget session for an unknown or non-webchat inbox is 404', async () => {
  const r = await server.request('POST', '/api/v1/widget/9999/session', { body: {} });
  assert.equal(r.status, 404);
  const inboxes = await server.request('GET', '/api/v1/inboxes', { token });
  const api = inboxes.json.items.find((i) => i.channel === 'api');
  assert.equal((await server.request('POST', `/api/v1/widget/${api.id}/session`, { body: {} })).status, 404);
});
