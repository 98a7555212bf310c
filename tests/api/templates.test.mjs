// Reply templates (LG6): CRUD with permissions, ICU validation at save time, rendering with the
// fallback order market -> language -> machine-translated source -> untranslated source, and
// the `meridian template render` command.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, postInbound } from './lib/harness.mjs';

let server, dir, admin, agent, supervisor, inbox;
before(async () => {
  dir = tempDir();
  inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Shop', '--callback-url', 'http://127.0.0.1:9/cb', '--json'], { data: dir }));
  cli(['agent', 'create', '--email', 'sup@example.com', '--name', 'Sup', '--role', 'supervisor'], { data: dir, input: 'sup-password-1\n' });
  assert.match(cli(['template', 'time-zone', 'Europe/Berlin'], { data: dir }), /Europe\/Berlin/);
  assert.throws(() => cli(['template', 'time-zone', 'Mars/Base'], { data: dir }), /not an IANA time zone/);
  server = await new Server(dir, ['--demo']).start();
  admin = await server.login();
  agent = await server.login('li.wei@meridian.local', 'meridian-demo');
  supervisor = await server.login('sup@example.com', 'sup-password-1');
});
after(async () => { await server.stop(); cleanup(dir); });

const req = (method, path, token, body) => server.request(method, path, { token, body });

const orderTemplate = (key = 'parcel-count') => ({
  key: '/' + key.toUpperCase(),
  name: 'Parcel count',
  source_locale: 'en',
  variants: [
    { locale: 'en', body: 'Hi {name}, {n, plural, one {# parcel} other {# parcels}} left on {d, date, ::yMMMd}.' },
    { locale: 'de', style: 'formal', body: 'Guten Tag {name}, {n, plural, one {# Paket} other {# Pakete}} am {d, date, ::yMd}.' },
    { locale: 'de_ch', style: 'formal', body: 'Grüezi {name}, {n, plural, one {# Paket} other {# Pakete}} am {d, date, ::yMd} um {d, time, ::Hm}.' },
  ],
});
const params = { name: 'Emma', n: 3, d: '2026-11-27T23:30:00Z' };

test('the demo seeds localized templates, searchable by key or name', async () => {
  const all = await req('GET', '/api/v1/templates', agent);
  assert.equal(all.status, 200);
  const keys = all.json.items.map((t) => t.key);
  for (const k of ['where-is-order', 'return-instructions', 'delay-apology']) assert.ok(keys.includes(k), k);
  const where = all.json.items.find((t) => t.key === 'where-is-order');
  assert.ok(where.variants.some((v) => v.locale === 'de-CH' && v.style === 'formal'));
  assert.deepEqual(where.arguments, { eta: 'date', n: 'number', name: 'text', order: 'text' });
  const q = await req('GET', '/api/v1/templates?q=%2Fwhere', agent);
  assert.deepEqual(q.json.items.map((t) => t.key), ['where-is-order']);
  const byName = await req('GET', '/api/v1/templates?q=apology', agent);
  assert.deepEqual(byName.json.items.map((t) => t.key), ['delay-apology']);
});

test('supervisors create, read, replace and delete; keys and locales are normalized', async () => {
  const created = await req('POST', '/api/v1/templates', supervisor, orderTemplate());
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.key, 'parcel-count');
  assert.deepEqual(created.json.variants.map((v) => v.locale).sort(), ['de', 'de-CH', 'en']);
  const id = created.json.id;
  const got = await req('GET', `/api/v1/templates/${id}`, agent);
  assert.equal(got.status, 200);
  assert.equal(got.json.name, 'Parcel count');

  const changed = { ...orderTemplate(), name: 'Parcels', variants: [{ locale: 'en', body: 'Only {n, number} left' }] };
  const put = await req('PUT', `/api/v1/templates/${id}`, admin, changed);
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.name, 'Parcels');
  assert.equal(put.json.variants.length, 1);

  const dup = await req('POST', '/api/v1/templates', supervisor, orderTemplate());
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.code, 'template_key_taken');

  const del = await req('DELETE', `/api/v1/templates/${id}`, supervisor);
  assert.equal(del.status, 200);
  assert.equal((await req('GET', `/api/v1/templates/${id}`, agent)).status, 404);
});

test('agents read and render but cannot write (403); no token is 401', async () => {
  assert.equal((await req('POST', '/api/v1/templates', agent, orderTemplate('agent-try'))).status, 403);
  const seeded = (await req('GET', '/api/v1/templates', agent)).json.items[0];
  assert.equal((await req('PUT', `/api/v1/templates/${seeded.id}`, agent, orderTemplate('agent-try'))).status, 403);
  assert.equal((await req('DELETE', `/api/v1/templates/${seeded.id}`, agent)).status, 403);
  assert.equal((await req('POST', '/api/v1/templates/preview', agent, { body: 'x' })).status, 403);
  assert.equal((await req('GET', '/api/v1/templates')).status, 401);
  const keys = (await req('GET', '/api/v1/templates', admin)).json.items.map((t) => t.key);
  assert.ok(!keys.includes('agent-try'));
});

test('invalid MessageFormat is rejected with 422 naming the variant and ICU error; nothing is saved', async () => {
  const before = (await req('GET', '/api/v1/templates', admin)).json.items.length;
  const bad = orderTemplate('broken');
  bad.variants[2].body = 'Grüezi {name}, {n, plural, one {# Paket}';
  const r = await req('POST', '/api/v1/templates', admin, bad);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.code, 'invalid_message_format');
  assert.match(r.json.error.message, /variant de-CH/);
  assert.match(r.json.error.message, /U_[A-Z_]+/);
  assert.equal((await req('GET', '/api/v1/templates', admin)).json.items.length, before);

  // A failed replace leaves the stored template untouched.
  const ok = await req('POST', '/api/v1/templates', admin, orderTemplate('kept'));
  const put = await req('PUT', `/api/v1/templates/${ok.json.id}`, admin, { ...bad, key: 'kept' });
  assert.equal(put.status, 422);
  const kept = await req('GET', `/api/v1/templates/${ok.json.id}`, admin);
  assert.equal(kept.json.variants.length, 3);
  assert.equal(kept.json.name, 'Parcel count');

  for (const [body, code] of [
    [{ ...orderTemplate('x1'), variants: [] }, 'missing_field'],
    [{ ...orderTemplate('x2'), source_locale: 'fr' }, 'missing_field'],
    [{ ...orderTemplate('x3'), variants: [{ locale: 'en', style: 'rude', body: 'x' }] }, 'invalid_field'],
    [{ ...orderTemplate('x4'), key: 'has spaces' }, 'invalid_field'],
    [{ ...orderTemplate('x5'), variants: 'en' }, 'invalid_field'],
  ]) {
    const bad2 = await req('POST', '/api/v1/templates', admin, body);
    assert.equal(bad2.status, 422, JSON.stringify(body));
    assert.equal(bad2.json.error.code, code);
  }
  const garbage = await server.request('POST', '/api/v1/templates', { token: admin, raw: '{nope', headers: { 'content-type': 'application/json' } });
  assert.equal(garbage.status, 400);
});

test('unknown template ids are 404 everywhere', async () => {
  for (const [m, body] of [['GET'], ['PUT', orderTemplate('nope')], ['DELETE'], ['POST', { locale: 'en' }]]) {
    const path = m === 'POST' ? '/api/v1/templates/987654/render' : '/api/v1/templates/987654';
    const r = await req(m, path, admin, body);
    assert.equal(r.status, 404, `${m} ${path}`);
    assert.equal(r.json.error.code, 'not_found');
  }
});

test('render falls back market -> language -> translated -> source', async () => {
  const t = (await req('POST', '/api/v1/templates', admin, orderTemplate('fallbacks'))).json;
  const render = (body) => req('POST', `/api/v1/templates/${t.id}/render`, agent, { params, ...body });

  const exact = await render({ locale: 'de-CH', time_zone: 'Europe/Zurich' });
  assert.equal(exact.status, 200, exact.text);
  assert.equal(exact.json.fallback, 'exact');
  assert.equal(exact.json.variant, 'de-CH');
  assert.equal(exact.json.text, 'Grüezi Emma, 3 Pakete am 28.11.2026 um 00:30.');

  const language = await render({ locale: 'de-AT', time_zone: 'Europe/Vienna' });
  assert.equal(language.json.fallback, 'language');
  assert.equal(language.json.variant, 'de');
  assert.equal(language.json.text, 'Guten Tag Emma, 3 Pakete am 28.11.2026.');

  const translated = await render({ locale: 'es', time_zone: 'Europe/Madrid' });
  assert.equal(translated.json.fallback, 'translated', translated.text);
  assert.equal(translated.json.machine_translated, true);
  assert.equal(translated.json.engine, 'apertium');
  assert.equal(translated.json.variant, 'en');
  assert.match(translated.json.text, /Emma/, translated.json.text);
  assert.doesNotMatch(translated.json.text, /parcels left/);

  const source = await render({ locale: 'ko', time_zone: 'Asia/Seoul' });
  assert.equal(source.json.fallback, 'source');
  assert.equal(source.json.machine_translated, false);
  assert.equal(source.json.locale, 'en');
  assert.equal(source.json.text, 'Hi Emma, 3 parcels left on Nov 28, 2026.');
  assert.ok(source.json.notice);
});

test('render takes the locale and time zone from the conversation', async () => {
  const t = (await req('POST', '/api/v1/templates', admin, orderTemplate('from-conversation'))).json;
  // A new customer: language chosen by the agent, country unknown, the account's default zone.
  const r = await postInbound(server, inbox.id, inbox.secret, { message_id: 'tpl-1', sender: { id: 'tpl-cust', name: 'Jonas' }, text: 'Hallo' });
  assert.equal(r.status, 200);
  const conv = (await req('GET', '/api/v1/conversations?limit=200', admin)).json.items.find((c) => c.contact.name === 'Jonas');
  await req('POST', `/api/v1/conversations/${conv.id}/language`, agent, { language: 'de' });
  const de = await req('POST', `/api/v1/templates/${t.id}/render`, agent, { conversation_id: conv.id, params });
  assert.equal(de.status, 200, de.text);
  assert.equal(de.json.locale, 'de');
  assert.equal(de.json.time_zone, 'Europe/Berlin');
  assert.equal(de.json.variant, 'de');
  assert.equal(de.json.text, 'Guten Tag Emma, 3 Pakete am 28.11.2026.');

  // The demo's Emma Schulz is known to live in Switzerland (Europe/Zurich).
  const emma = (await req('GET', '/api/v1/conversations?limit=200', admin)).json.items.find((c) => c.contact.name === 'Emma Schulz');
  await req('POST', `/api/v1/conversations/${emma.id}/language`, agent, { language: 'de' });
  const ch = await req('POST', `/api/v1/templates/${t.id}/render`, agent, { conversation_id: emma.id, params });
  assert.equal(ch.json.locale, 'de-CH');
  assert.equal(ch.json.time_zone, 'Europe/Zurich');
  assert.equal(ch.json.fallback, 'exact');
  assert.equal(ch.json.text, 'Grüezi Emma, 3 Pakete am 28.11.2026 um 00:30.');

  // Explicit fields win over the conversation.
  const jp = await req('POST', `/api/v1/templates/${t.id}/render`, agent, { conversation_id: emma.id, locale: 'en-US', time_zone: 'America/New_York', params });
  assert.equal(jp.json.text, 'Hi Emma, 3 parcels left on Nov 27, 2026.');

  assert.equal((await req('POST', `/api/v1/templates/${t.id}/render`, agent, { conversation_id: 99999, params })).status, 404);
});

test('render errors: missing params are named, bad zones and locales are 422', async () => {
  const t = (await req('POST', '/api/v1/templates', admin, orderTemplate('errors'))).json;
  const render = (body) => req('POST', `/api/v1/templates/${t.id}/render`, agent, body);
  const missing = await render({ locale: 'de', params: { name: 'Emma', d: '2026-11-27' } });
  assert.equal(missing.status, 422);
  assert.equal(missing.json.error.code, 'missing_param');
  assert.match(missing.json.error.message, /'n'/);
  assert.equal((await render({ locale: 'de', time_zone: 'Mars/Base', params })).json.error.code, 'invalid_time_zone');
  assert.equal((await render({ locale: 'no such locale', params })).json.error.code, 'invalid_locale');
  assert.equal((await render({ params })).json.error.code, 'missing_field');
  assert.equal((await render({ locale: 'de', params: [1] })).json.error.code, 'invalid_field');
  assert.equal((await render({ locale: 'de', params: { ...params, n: 'lots' } })).json.error.code, 'invalid_param');
});

test('preview validates one body live for the editor', async () => {
  const ok = await req('POST', '/api/v1/templates/preview', supervisor,
                       { body: '{n, plural, one {# Paket} other {# Pakete}}', locale: 'de', params: { n: 2 } });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.text, '2 Pakete');
  assert.deepEqual(ok.json.arguments, { n: 'number' });
  const partial = await req('POST', '/api/v1/templates/preview', supervisor, { body: 'Hi {name}' });
  assert.deepEqual(partial.json.missing_params, ['name']);
  const bad = await req('POST', '/api/v1/templates/preview', supervisor, { body: 'Hi {name' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.code, 'invalid_message_format');
});

test('the OpenAPI document describes the template routes', async () => {
  const doc = await server.request('GET', '/api/v1/openapi.json');
  assert.equal(doc.status, 200);
  for (const p of ['/api/v1/templates', '/api/v1/templates/{id}', '/api/v1/templates/{id}/render', '/api/v1/templates/preview']) {
    assert.ok(doc.json.paths[p], p);
  }
  assert.deepEqual(doc.json.components.schemas.RenderedTemplate.properties.fallback.enum, ['exact', 'language', 'translated', 'source']);
});

test('meridian template render formats stdin for a locale and time zone', () => {
  const out = cli(['template', 'render', '--locale', 'de-CH', '--tz', 'Europe/Zurich', '--params', '{"n":3,"p":1234.5,"d":"2026-07-01T10:00:00Z"}'],
                  { input: '{n, plural, one {# Paket} other {# Pakete}} für {p, number, ::currency/CHF} am {d, date, ::yMd} um {d, time, ::Hm}\n' });
  assert.equal(out, '3 Pakete für CHF\u00a01’234.50 am 1.7.2026 um 12:00\n');
  const json = JSON.parse(cli(['template', 'render', '--locale', 'ru', '--json', '--params', '{"n":22}'],
                              { input: '{n, plural, one {# посылка} few {# посылки} many {# посылок} other {# посылки}}' }));
  assert.deepEqual(json, { text: '22 посылки', locale: 'ru', time_zone: 'UTC' });
  assert.throws(() => cli(['template', 'render', '--params', '{}'], { input: 'Hi {name}' }), /missing_param/);
});
