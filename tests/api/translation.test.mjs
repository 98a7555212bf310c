// Translation in the conversation (issue 4, LG2-LG4): each agent reads inbound messages in their
// own language, writes in it and sees the reply in the customer's language before sending; the
// translation memory and glossary are the account's, in the store, edited by supervisors.
// Apertium (en<->es, en<->ca) runs for real; a stub LibreTranslate stands in for a remote engine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, tempDir, cleanup, cli, openSocket, postInbound, stubServer, until } from './lib/harness.mjs';

const KEY = 'lt-secret-key-8d1f0c';
let server, dir, inbox, libre, admin, agent, supervisor;

function startServer() {
  return new Server(dir, ['--demo', '--translation-config', join(dir, 'translation.json')]).start();
}

before(async () => {
  dir = tempDir();
  inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Shop', '--callback-url', 'http://127.0.0.1:9/cb', '--json'], { data: dir }));
  cli(['agent', 'create', '--email', 'ana@example.com', '--name', 'Ana Agent', '--role', 'agent'], { input: 'agent-password-1\n', data: dir });
  cli(['agent', 'create', '--email', 'sue@example.com', '--name', 'Sue Supervisor', '--role', 'supervisor'], { input: 'super-password-1\n', data: dir });
  // LibreTranslate's documented API: POST /translate {"q":[...],"source","target"} ->
  // {"translatedText":[...]}; /languages unknown here (every pair is asked).
  libre = await stubServer([{ status: 200, body: (req) => {
    if (req.url !== '/translate') return {};
    const b = JSON.parse(req.body);
    return { translatedText: b.q.map((s) => `[${b.target}] ${s}`) };
  } }]);
  writeFileSync(join(dir, 'translation.json'), JSON.stringify({ engines: [
    { name: 'libretranslate', base_url: libre.base, api_key_env: 'MERIDIAN_TEST_LT_KEY', pairs: ['en-de'] }] }));
  process.env.MERIDIAN_TEST_LT_KEY = KEY;
  server = await startServer();
  admin = await server.login();
  agent = await server.login('ana@example.com', 'agent-password-1');
  supervisor = await server.login('sue@example.com', 'super-password-1');
});
after(async () => { await server.stop(); await libre.close(); cleanup(dir); });

const req = (method, path, token, body) => server.request(method, path, { token, body });

async function conversationOf(name) {
  return until(async () => {
    const list = await req('GET', '/api/v1/conversations?status=all&limit=200', admin);
    const c = list.json.items.find((x) => x.contact.name === name);
    return c && c.language ? c : null;
  });
}

async function customerWrites(id, name, text) {
  const r = await postInbound(server, inbox.id, inbox.secret, { message_id: id, sender: { id: name, name }, text });
  assert.equal(r.status, 200);
  return conversationOf(name);
}

async function messages(conv, token) {
  return (await req('GET', `/api/v1/conversations/${conv.id}/messages`, token)).json;
}

test('each agent chooses a translation language: persisted, returned by /me, validated', async () => {
  let me = await req('GET', '/api/v1/me', agent);
  assert.equal(me.json.translation_language, null);
  assert.equal(me.json.effective_translation_language, 'en', 'default: the team working language');

  for (const [body, field] of [[{ translation_language: 'Spanish!' }, 'translation_language'],
    [{ translation_language: 7 }, 'translation_language'], [{}, 'language'],
    [{ language: 'fr', translation_language: 'de' }, 'language']]) {
    const bad = await req('PATCH', '/api/v1/me', agent, body);
    assert.equal(bad.status, 422, JSON.stringify(body));
    assert.ok(bad.json.error.message.includes(field), bad.json.error.message);
  }
  me = await req('GET', '/api/v1/me', agent);
  assert.equal(me.json.translation_language, null, 'a refused change changes nothing');
  assert.equal(me.json.language, 'en');

  const ok = await req('PATCH', '/api/v1/me', agent, { language: 'zh-CN', translation_language: 'ca' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.translation_language, 'ca');
  const again = await server.login('ana@example.com', 'agent-password-1');
  me = await req('GET', '/api/v1/me', again);
  assert.equal(me.json.language, 'zh-CN');
  assert.equal(me.json.effective_translation_language, 'ca');
});

test('inbound messages are shown in each reader\'s language: the pipeline\'s translation or one made on demand and cached', async () => {
  const conv = await customerWrites('in-1', 'Lucía Gómez', 'Hola, quiero devolver los zapatos del pedido 55120.');
  assert.equal(conv.language, 'es');
  const forAdmin = await until(async () => {
    const m = await messages(conv, admin);
    return m.items[0].translation ? m : null;
  });
  assert.equal(forAdmin.reader_language, 'en');
  assert.equal(forAdmin.items[0].translation.language, 'en');
  assert.equal(forAdmin.items[0].translation.engine, 'apertium');
  assert.match(forAdmin.items[0].translation.text, /shoes/i);

  // Ana reads Catalan: the list does not wait for an engine, it says what is missing.
  const forAna = await messages(conv, agent);
  assert.equal(forAna.reader_language, 'ca');
  assert.equal(forAna.items[0].translation, null);
  assert.equal(forAna.items[0].translation_missing, true);
  const id = forAna.items[0].id;
  const t = await req('GET', `/api/v1/messages/${id}/translation`, agent);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.language, 'ca');
  assert.equal(t.json.engine, 'apertium');
  assert.ok(t.json.text.includes('55120'), t.json.text);
  assert.notEqual(t.json.text, forAna.items[0].text);
  const cached = await messages(conv, agent);
  assert.deepEqual(cached.items[0].translation, { text: t.json.text, language: 'ca', engine: 'apertium' });
  assert.equal(cached.items[0].translation_missing, false);

  assert.equal((await req('GET', '/api/v1/messages/999999/translation', agent)).status, 404);
  const bad = await req('GET', `/api/v1/messages/${id}/translation?language=x!`, agent);
  assert.equal(bad.status, 422);
  const none = await req('GET', `/api/v1/messages/${id}/translation?language=ja`, agent);
  assert.equal(none.status, 422);
  assert.equal(none.json.error.code, 'unsupported_pair');
});

test('a reply is previewed in the customer\'s language, edited, remembered and reused exactly; close ones are offered with their score', async () => {
  const conv = await conversationOf('Lucía Gómez');
  const text = 'Your order has been sent today.';
  const p1 = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text });
  assert.equal(p1.status, 200, p1.text);
  assert.equal(p1.json.from, 'en');
  assert.equal(p1.json.to, 'es');
  assert.equal(p1.json.engine, 'apertium');
  assert.equal(p1.json.available, true);
  assert.equal(p1.json.memory.exact, false);
  assert.match(p1.json.translation, /enviado/i);

  const edited = 'Su pedido ha salido hoy.';
  const before = (await messages(conv, admin)).items.length;
  const sent = await req('POST', `/api/v1/conversations/${conv.id}/messages`, admin,
    { text, translation: { text: edited, edited: true } });
  assert.equal(sent.status, 201, sent.text);
  assert.equal(sent.json.text, edited, 'the customer receives the translation');
  assert.equal(sent.json.language, 'es');
  assert.deepEqual(sent.json.original, { text, language: 'en' }, 'the original is kept');
  assert.ok(sent.json.memory_segment_id > 0);
  const list = await messages(conv, admin);
  assert.equal(list.items.length, before + 1);
  assert.deepEqual(list.items.at(-1).original, { text, language: 'en' });

  const p2 = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: `  ${text} ` });
  assert.equal(p2.json.memory.exact, true);
  assert.equal(p2.json.engine, 'memory');
  assert.equal(p2.json.translation, edited);

  const p3 = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'Your order has been sent today!' });
  assert.equal(p3.json.memory.exact, false);
  assert.equal(p3.json.engine, 'apertium');
  const fuzzy = p3.json.memory.fuzzy;
  assert.equal(fuzzy[0].source, text);
  assert.equal(fuzzy[0].target, edited);
  assert.ok(fuzzy[0].score >= 0.75 && fuzzy[0].score < 1, JSON.stringify(fuzzy));
  const far = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'Thank you for waiting.' });
  assert.deepEqual(far.json.memory.fuzzy, [], 'nothing below 75 % is offered');

  // Agents read the memory; only supervisors and admins change it.
  const mem = await req('GET', '/api/v1/translation-memory?from=en&to=es', agent);
  assert.equal(mem.status, 200);
  assert.ok(mem.json.items.some((s) => s.source === text && s.target === edited && s.approved));
});

test('bad replies and previews are refused with the field named, and nothing is written', async () => {
  const conv = await conversationOf('Lucía Gómez');
  const count = (await messages(conv, admin)).items.length;
  const segments = (await req('GET', '/api/v1/translation-memory', admin)).json.items.length;
  for (const [body, field] of [[{ text: 'Hi', translation: 'Hola' }, 'translation'],
    [{ text: 'Hi', translation: {} }, 'translation.text'],
    [{ text: 'Hi', translation: { text: '   ', edited: true } }, 'translation.text'],
    [{ text: 'Hi', translation: { text: 'Hola', edited: 'yes' } }, 'translation.edited'],
    [{ text: 'Hi', translation: { text: 'Hola', from: 'english' } }, 'translation.from'],
    [{ text: '', translation: { text: 'Hola', edited: true } }, 'text']]) {
    const r = await req('POST', `/api/v1/conversations/${conv.id}/messages`, admin, body);
    assert.equal(r.status, 422, JSON.stringify(body) + r.text);
    assert.ok(r.json.error.message.includes(`'${field}'`), r.json.error.message);
  }
  assert.equal((await messages(conv, admin)).items.length, count, 'no message was appended');
  assert.equal((await req('GET', '/api/v1/translation-memory', admin)).json.items.length, segments, 'no segment was added');

  const p = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: '' });
  assert.equal(p.status, 422);
  assert.ok(p.json.error.message.includes("'text'"));
  assert.equal((await req('POST', '/api/v1/conversations/999999/translate', admin, { text: 'Hi' })).status, 404);
  assert.equal((await server.request('POST', `/api/v1/conversations/${conv.id}/translate`, { body: { text: 'Hi' } })).status, 401);
});

test('a pair no engine covers is said clearly and the reply can go untranslated; a configured remote engine covers its pairs', async () => {
  const conv = await customerWrites('in-ja', 'Haruto Sato', 'Where is my parcel? It has been two weeks.');
  await req('POST', `/api/v1/conversations/${conv.id}/language`, admin, { language: 'ja' });
  const p = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'It ships tomorrow.' });
  assert.equal(p.status, 200);
  assert.equal(p.json.available, false);
  assert.equal(p.json.translation, null);
  assert.equal(p.json.unavailable.code, 'unsupported_pair');
  assert.match(p.json.unavailable.message, /en->ja/);
  const sent = await req('POST', `/api/v1/conversations/${conv.id}/messages`, admin, { text: 'It ships tomorrow.' });
  assert.equal(sent.status, 201);
  assert.equal(sent.json.text, 'It ships tomorrow.');
  assert.equal(sent.json.original, undefined);

  // en->de: the stub LibreTranslate (configured for that pair) answers.
  await req('POST', `/api/v1/conversations/${conv.id}/language`, admin, { language: 'de' });
  const de = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'It ships tomorrow.' });
  assert.equal(de.json.available, true, de.text);
  assert.equal(de.json.engine, 'libretranslate');
  assert.equal(de.json.translation, '[de] It ships tomorrow.');
  const call = libre.received.find((r) => r.url === '/translate');
  assert.deepEqual({ ...JSON.parse(call.body), q: undefined }, { q: undefined, source: 'en', target: 'de', format: 'text', api_key: KEY });
  // A pair the remote engine is not configured for is not sent to it.
  const calls = libre.received.length;
  await req('POST', `/api/v1/conversations/${conv.id}/language`, admin, { language: 'ja' });
  await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'It ships on Monday.' });
  assert.equal(libre.received.length, calls);
  assert.ok(!readFileSync(join(dir, 'logs', 'meridian.log'), 'utf8').includes(KEY), 'the key is never logged');
});

test('glossary: supervisors add forced and do-not-translate terms that hold at once; agents read; bad terms are refused whole', async () => {
  const conv = await conversationOf('Lucía Gómez');
  const denied = await req('POST', '/api/v1/glossary', agent, { kind: 'do_not_translate', source: 'Meridian Pro' });
  assert.equal(denied.status, 403);
  for (const [body, field] of [[{ kind: 'maybe', source: 'x' }, 'kind'], [{ kind: 'forced', source: 'gift card', from: 'en', to: 'es' }, 'target'],
    [{ kind: 'forced', source: 'gift card', from: 'en', to: 'en', target: 'x' }, 'to'],
    [{ kind: 'do_not_translate', source: 'Pro', target: 'x' }, 'target'],
    [{ kind: 'do_not_translate', source: 'Pro', case_sensitive: 'yes' }, 'case_sensitive'], [{ kind: 'do_not_translate' }, 'source']]) {
    const r = await req('POST', '/api/v1/glossary', supervisor, body);
    assert.equal(r.status, 422, JSON.stringify(body) + r.text);
    assert.ok(r.json.error.message.includes(`'${field}'`), r.json.error.message);
  }
  assert.deepEqual((await req('GET', '/api/v1/glossary', agent)).json.items, []);

  const forced = await req('POST', '/api/v1/glossary', supervisor, { kind: 'forced', from: 'en', to: 'es', source: 'gift card', target: 'tarjeta regalo' });
  assert.equal(forced.status, 201, forced.text);
  const dnt = await req('POST', '/api/v1/glossary', supervisor, { kind: 'do_not_translate', source: 'Swift', case_sensitive: true });
  assert.equal(dnt.status, 201);
  assert.equal((await req('POST', '/api/v1/glossary', supervisor, { kind: 'do_not_translate', source: 'Swift', case_sensitive: true })).status, 409);

  const p = await req('POST', `/api/v1/conversations/${conv.id}/translate`, agent, { text: 'I will send you a gift card for Swift.', from: 'en' });
  assert.match(p.json.translation, /tarjeta regalo/);
  assert.match(p.json.translation, /\bSwift\b/);
  const list = await req('GET', '/api/v1/glossary', agent);
  assert.deepEqual(list.json.items.map((g) => [g.kind, g.source, g.target, g.case_sensitive]),
    [['forced', 'gift card', 'tarjeta regalo', false], ['do_not_translate', 'Swift', null, true]]);

  assert.equal((await req('DELETE', `/api/v1/glossary/${forced.json.id}`, agent)).status, 403);
  assert.equal((await req('DELETE', `/api/v1/glossary/${forced.json.id}`, supervisor)).status, 200);
  assert.equal((await req('DELETE', `/api/v1/glossary/${forced.json.id}`, supervisor)).status, 404);
  const after = await req('POST', `/api/v1/conversations/${conv.id}/translate`, agent, { text: 'I will send you a gift card.', from: 'en' });
  assert.doesNotMatch(after.json.translation, /tarjeta regalo/, 'a deleted term no longer applies');
});

test('translation memory API: supervisors add, search and delete; agents may not; it survives a restart', async () => {
  const conv = await conversationOf('Lucía Gómez');
  assert.equal((await req('POST', '/api/v1/translation-memory', agent, { from: 'en', to: 'es', source: 'a', target: 'b' })).status, 403);
  for (const [body, field] of [[{ from: 'en', to: 'es', source: 'Thanks a lot!' }, 'target'], [{ from: 'en', to: 'en', source: 'a', target: 'b' }, 'to'],
    [{ from: 'english', to: 'es', source: 'a', target: 'b' }, 'from'], [{ from: 'en', to: 'es', source: ' ', target: 'b' }, 'source']]) {
    const r = await req('POST', '/api/v1/translation-memory', supervisor, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.ok(r.json.error.message.includes(`'${field}'`), r.json.error.message);
  }
  const added = await req('POST', '/api/v1/translation-memory', supervisor, { from: 'en', to: 'es', source: 'Thanks a lot for your patience!', target: '¡Mil gracias por su paciencia!' });
  assert.equal(added.status, 201, added.text);
  const search = await req('GET', '/api/v1/translation-memory?from=en&to=es&q=PATIENCE', agent);
  assert.deepEqual(search.json.items.map((s) => s.id), [added.json.id]);
  assert.equal(search.json.fuzzy.length >= 0, true);

  await server.stop();
  server = await startServer();
  admin = await server.login();
  supervisor = await server.login('sue@example.com', 'super-password-1');
  const warm = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'Thanks a lot for your patience!' });
  assert.equal(warm.json.engine, 'memory', 'loaded warm at start');
  assert.equal(warm.json.translation, '¡Mil gracias por su paciencia!');

  assert.equal((await req('DELETE', `/api/v1/translation-memory/${added.json.id}`, supervisor)).status, 200);
  assert.equal((await req('DELETE', `/api/v1/translation-memory/${added.json.id}`, supervisor)).status, 404);
  const gone = await req('POST', `/api/v1/conversations/${conv.id}/translate`, admin, { text: 'Thanks a lot for your patience!' });
  assert.equal(gone.json.engine, 'apertium', 'a deleted segment is no longer reused');
});

test('web chat customers receive the translation and may reveal the agent\'s original', async () => {
  const inboxes = await req('GET', '/api/v1/inboxes', admin);
  const web = inboxes.json.items.find((i) => i.channel === 'webchat').id;
  const s = await server.request('POST', `/api/v1/widget/${web}/session`, { body: {} });
  const visitor = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(s.json.token)}`);
  visitor.send({ type: 'message', client_message_id: 'v-1', text: '¿Cuándo llega mi pedido? Lo necesito para el viernes.' });
  await visitor.next((f) => f.type === 'ack');
  const conv = await until(async () => {
    const list = await req('GET', '/api/v1/conversations?status=all&limit=200', admin);
    return list.json.items.find((c) => c.inbox.id === web && c.language === 'es');
  });
  const sent = await req('POST', `/api/v1/conversations/${conv.id}/messages`, admin,
    { text: 'It arrives on Thursday.', translation: { text: 'Llega el jueves.' } });
  assert.equal(sent.status, 201, sent.text);
  assert.equal(sent.json.memory_segment_id, undefined, 'an unedited, unapproved translation is not remembered');
  const frame = await visitor.next((f) => f.type === 'message' && f.message.direction === 'out');
  assert.equal(frame.message.text, 'Llega el jueves.');
  assert.deepEqual(frame.message.original, { text: 'It arrives on Thursday.', language: 'en' });
  visitor.close();
});

test('a translation config that is wrong or carries a key stops serve with a message naming the entry', async () => {
  const bad = tempDir();
  try {
    for (const [config, expected] of [
      [{ engines: [{ name: 'deepl', api_key: 'secret-in-file' }] }, /engines\[0\].*api_key_env/],
      [{ engines: [{ name: 'babelfish' }] }, /engines\[0\]: "name" must be/],
      [{ engines: [{ name: 'libretranslate', base_url: 'http://127.0.0.1:9', pairs: ['english'] }] }, /pair "english"/],
      [{ engines: [{ name: 'google', api_key_env: 'MERIDIAN_TEST_UNSET_KEY' }] }, /MERIDIAN_TEST_UNSET_KEY is not set/]]) {
      writeFileSync(join(bad, 'translation.json'), JSON.stringify(config));
      assert.throws(() => cli(['serve', '--port', '0', '--translation-config', join(bad, 'translation.json')], { data: bad }),
        (e) => e.status === 1 && expected.test(e.stderr) && !e.stderr.includes('secret-in-file'), JSON.stringify(config));
    }
  } finally {
    cleanup(bad);
  }
});
