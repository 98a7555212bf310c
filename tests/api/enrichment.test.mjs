// The NLU pipeline after the store (issue 5): every inbound message gets its language, intent,
// entities, sentiment and PII spans, stored with it, shown to agents and never to customers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, openSocket, postInbound, until } from './lib/harness.mjs';

let server, dir, token, inbox, webInbox;
before(async () => {
  dir = tempDir();
  inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Shop', '--callback-url', 'http://127.0.0.1:9/cb', '--json'], { data: dir }));
  cli(['agent', 'create', '--email', 'ana@example.com', '--name', 'Ana Agent', '--role', 'agent'], { input: 'agent-password-1\n', data: dir });
  server = await new Server(dir, ['--demo']).start();
  token = await server.login();
  const inboxes = await server.request('GET', '/api/v1/inboxes', { token });
  webInbox = inboxes.json.items.find((i) => i.channel === 'webchat').id;
});
after(async () => { await server.stop(); cleanup(dir); });

async function conversationOf(name) {
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  return list.json.items.find((c) => c.contact.name === name);
}

async function enrichedMessages(name, count) {
  return until(async () => {
    const conv = await conversationOf(name);
    if (!conv) return null;
    const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
    const items = msgs.json.items.filter((m) => m.direction === 'in');
    if (items.length !== count || items.some((m) => m.nlu === null)) return null;
    // Read the conversation again: it was enriched in the same transaction as its messages.
    return { conv: await conversationOf(name), items };
  });
}

test('inbound messages are enriched after they are stored: language, intent, entities, sentiment, PII spans', async () => {
  const agent = await openSocket(`${server.wsBase}/api/v1/ws?token=${token}`);
  const text = 'Hallo, wo ist meine Bestellung 100234? Ich warte schon seit zwei Wochen, das ist wirklich ärgerlich!';
  const r = await postInbound(server, inbox.id, inbox.secret, { message_id: 'nlu-1', sender: { id: 'k-1', name: 'Klaus Weber' }, text });
  assert.equal(r.status, 200);
  // The agent's screen is updated live when the analysis is ready.
  // (generous wait: the first message warms the pipeline, at nice 10, on a busy CI machine)
  const updated = await agent.next((f) => f.type === 'message.updated' && f.message.text === text && f.message.nlu, 30000);
  assert.equal(updated.message.language, 'de');
  assert.equal(updated.conversation.language, 'de');
  agent.close();

  const { conv, items } = await enrichedMessages('Klaus Weber', 1);
  assert.equal(conv.language, 'de');
  const nlu = items[0].nlu;
  assert.equal(items[0].language, 'de');
  assert.equal(nlu.intent.id, 'order_status');
  assert.ok(nlu.intent.confidence > 0 && nlu.intent.confidence <= 1);
  assert.equal(nlu.sentiment.label, 'negative');
  assert.ok(nlu.entities.some((e) => e.type === 'order_number' && e.normalized === '100234'), JSON.stringify(nlu.entities));
});

test('a short reply does not flip an established conversation language; PII is reported as spans only', async () => {
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'nlu-2', sender: { id: 'k-2', name: 'Marie Dupont' },
    text: 'Bonjour, je voudrais retourner les chaussures que j\'ai reçues hier.' });
  await enrichedMessages('Marie Dupont', 1);
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'nlu-3', sender: { id: 'k-2', name: 'Marie Dupont' },
    text: 'ok' });
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'nlu-4', sender: { id: 'k-2', name: 'Marie Dupont' },
    text: 'Mon adresse e-mail est marie.dupont@example.fr' });
  const { conv, items } = await enrichedMessages('Marie Dupont', 3);
  assert.equal(conv.language, 'fr');
  assert.deepEqual(items.map((m) => m.language), ['fr', 'fr', 'fr']);
  assert.equal(items[0].nlu.intent.id, 'return_request');
  const pii = items[2].nlu.pii;
  assert.equal(pii.length, 1);
  assert.equal(pii[0].type, 'email');
  assert.equal(items[2].text.slice(pii[0].start, pii[0].end), 'marie.dupont@example.fr');
  assert.ok(!JSON.stringify(pii).includes('marie.dupont'));
});

test('customers never see the analysis of their words', async () => {
  const s = await server.request('POST', `/api/v1/widget/${webInbox}/session`, { body: {} });
  const visitor = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(s.json.token)}`);
  visitor.send({ type: 'message', client_message_id: 'v-1', text: 'I want a refund, this is awful' });
  await visitor.next((f) => f.type === 'ack');
  visitor.close();
  await until(async () => {
    const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
    const conv = list.json.items.find((c) => c.inbox.id === webInbox && c.last_message?.text === 'I want a refund, this is awful');
    if (!conv) return null;
    const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
    return msgs.json.items[0].nlu ? true : null;
  });
  const history = await server.request('GET', `/api/v1/widget/messages?token=${encodeURIComponent(s.json.token)}`);
  assert.equal(history.status, 200);
  assert.equal(history.json.items.length, 1);
  assert.equal(history.json.items[0].nlu, undefined);
  assert.equal(history.json.items[0].language, undefined);
});

test('agents see IBANs, national ids and one-time codes masked; admins see them in clear (PR1)', async () => {
  const agentToken = await server.login('ana@example.com', 'agent-password-1');
  const agentSocket = await openSocket(`${server.wsBase}/api/v1/ws?token=${agentToken}`);
  const adminSocket = await openSocket(`${server.wsBase}/api/v1/ws?token=${token}`);
  const text = 'Bitte erstatten Sie auf DE89 3704 0044 0532 0130 00, meine Mail ist jan@example.de';
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'pii-1', sender: { id: 'k-9', name: 'Jan Becker' }, text });

  const live = await agentSocket.next((f) => f.type === 'message.created' && f.conversation.contact.name === 'Jan Becker');
  assert.equal(live.message.masked, true);
  assert.ok(!live.message.text.includes('3704 0044'), live.message.text);
  assert.match(live.message.text, /\*{4}3000/);
  assert.ok(live.message.text.includes('jan@example.de'), 'contact details stay visible to agents');
  assert.ok(!live.conversation.last_message.text.includes('3704 0044'));
  const clear = await adminSocket.next((f) => f.type === 'message.created' && f.conversation.contact.name === 'Jan Becker');
  assert.equal(clear.message.text, text);
  assert.equal(clear.message.masked, undefined);
  agentSocket.close();
  adminSocket.close();

  const conv = await conversationOf('Jan Becker');
  const asAgent = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token: agentToken });
  assert.ok(!asAgent.json.items[0].text.includes('3704 0044'));
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token: agentToken });
  assert.ok(!JSON.stringify(list.json).includes('3704 0044'));
  const asAdmin = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
  assert.equal(asAdmin.json.items[0].text, text);
});

test('a translation never shows an agent the personal data its original masks', async () => {
  const agentToken = await server.login('ana@example.com', 'agent-password-1');
  const text = 'Por favor, devuelvan el dinero a ES91 2100 0418 4502 0005 1332, gracias';
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'pii-tr', sender: { id: 'k-10', name: 'Pablo Ruiz' }, text });
  await enrichedMessages('Pablo Ruiz', 1);
  const conv = await conversationOf('Pablo Ruiz');
  const asAdmin = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
  assert.ok(asAdmin.json.items[0].nlu.translation.text.includes('0005 1332'), 'admins see the translation in clear');
  const asAgent = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token: agentToken });
  const m = asAgent.json.items[0];
  assert.equal(m.masked, true);
  assert.ok(!JSON.stringify(m).includes('0418 4502'), JSON.stringify(m));
  assert.ok(m.nlu.translation.text.includes('****'), m.nlu.translation.text);
});

test('an agent can set the conversation language; detection never overrides it until handed back', async () => {
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'lang-1', sender: { id: 'k-5', name: 'Sven Olsen' },
    text: 'Hello, I would like to know where my parcel is right now please' });
  const { conv } = await enrichedMessages('Sven Olsen', 1);
  assert.equal(conv.language, 'en');
  assert.equal(conv.language_set_by_agent, false);

  const bad = await server.request('POST', `/api/v1/conversations/${conv.id}/language`, { token, body: { language: 'not a language!' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.code, 'invalid_field');
  const missing = await server.request('POST', `/api/v1/conversations/${conv.id}/language`, { token, body: {} });
  assert.equal(missing.status, 422);
  assert.equal(missing.json.error.code, 'missing_field');
  const unknown = await server.request('POST', '/api/v1/conversations/999999/language', { token, body: { language: 'sv' } });
  assert.equal(unknown.status, 404);
  assert.equal((await conversationOf('Sven Olsen')).language, 'en', 'nothing changed by bad requests');

  const set = await server.request('POST', `/api/v1/conversations/${conv.id}/language`, { token, body: { language: 'sv' } });
  assert.equal(set.status, 200);
  assert.equal(set.json.language, 'sv');
  assert.equal(set.json.language_set_by_agent, true);

  await postInbound(server, inbox.id, inbox.secret, { message_id: 'lang-2', sender: { id: 'k-5', name: 'Sven Olsen' },
    text: 'Can you please tell me when the delivery will arrive at my house' });
  const after = await enrichedMessages('Sven Olsen', 2);
  assert.equal(after.items[1].language, 'en', 'the message itself is still detected');
  assert.equal(after.conv.language, 'sv', 'the agent\'s choice stands');

  const back = await server.request('POST', `/api/v1/conversations/${conv.id}/language`, { token, body: { language: null } });
  assert.equal(back.status, 200);
  assert.equal(back.json.language_set_by_agent, false);
});

test('messages in another language are translated into the working language, offline; originals stay', async () => {
  const text = 'Hola, quiero devolver los zapatos del pedido 55120, son demasiado pequeños.';
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'tr-1', sender: { id: 'k-7', name: 'Lucía Gómez' }, text });
  const { items } = await enrichedMessages('Lucía Gómez', 1);
  assert.equal(items[0].text, text, 'the original is what is stored and shown');
  assert.equal(items[0].language, 'es');
  const t = items[0].nlu.translation;
  assert.ok(t, JSON.stringify(items[0].nlu));
  assert.equal(t.language, 'en');
  assert.equal(t.engine, 'apertium');
  assert.ok(t.text.includes('55120'), t.text);
  assert.ok(/\bshoes\b/i.test(t.text), t.text);

  // The customer's own view has no translation (nor any other analysis).
  await postInbound(server, inbox.id, inbox.secret, { message_id: 'tr-2', sender: { id: 'k-8', name: 'John Smith' },
    text: 'Hello, could you tell me when my parcel will arrive?' });
  const english = await enrichedMessages('John Smith', 1);
  assert.equal(english.items[0].nlu.translation, undefined, 'English needs no translation');
});
