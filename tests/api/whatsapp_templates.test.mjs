// WhatsApp message template sync (issue 3, CH3): the approved templates are listed at the
// WhatsApp Business Management API (GET {api-base}/{WABA-ID}/message_templates, official
// Graph format, two pages followed by their `after` cursor) and become the inbox's templates
// with their languages and body parameter counts; REJECTED or unsendable ones are skipped and
// ones no longer approved are removed; a provider 401 answers 502 and changes nothing; agents
// may not sync; the server also syncs by itself at start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';

const WABA = '102290129340398';
const TOKEN = 'EAAG-templates-token';
let server, dir, stub, base, wa, waNoWaba, admin, agent;
const calls = [];
let mode = 'ok';  // 'ok' | 'second' (order_update rejected since) | 'unauthorized'

const body = (text) => ({ type: 'BODY', text });
const PAGE1 = {
  data: [
    { name: 'order_update', language: 'en_US', status: 'APPROVED', category: 'UTILITY', id: '1',
      components: [{ type: 'HEADER', format: 'TEXT', text: 'Your order' }, body('Hi {{1}}, order {{2}} ships {{3}}.'),
        { type: 'FOOTER', text: 'Aurora Outdoor' }] },
    { name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY', id: '2',
      components: [body('Hallo {{1}}, Bestellung {{2}} geht am {{3}} raus.')] },
    { name: 'summer_sale', language: 'en_US', status: 'REJECTED', category: 'MARKETING', id: '3',
      components: [body('Sale! {{1}}')] },
  ],
  paging: { cursors: { before: 'QVFIUb1', after: 'QVFIUa1' }, next: 'https://graph.facebook.com/v21.0/next-page' },
};
const PAGE2 = {
  data: [
    { name: 'delivery_photo', language: 'en_US', status: 'APPROVED', category: 'UTILITY', id: '4',
      components: [{ type: 'HEADER', format: 'IMAGE' }, body('Delivered, {{1}}!')] },
    { name: 'thanks', language: 'pt_BR', status: 'APPROVED', category: 'UTILITY', id: '5',
      components: [body('Obrigado pela sua compra!')] },
  ],
  paging: { cursors: { before: 'QVFIUb2', after: 'QVFIUa2' } },
};

before(async () => {
  stub = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://stub');
    calls.push({ path: url.pathname, after: url.searchParams.get('after'), auth: req.headers.authorization });
    const send = (status, payload) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(payload)); };
    if (url.pathname !== `/v21.0/${WABA}/message_templates`) return send(404, { error: { message: 'Unknown path' } });
    if (mode === 'unauthorized' || req.headers.authorization !== `Bearer ${TOKEN}`) {
      return send(401, { error: { message: 'Error validating access token: Session has expired', type: 'OAuthException', code: 190 } });
    }
    if (url.searchParams.get('after') === 'QVFIUa1') return send(200, PAGE2);
    if (mode === 'second') {
      return send(200, { data: [{ ...PAGE1.data[0], status: 'PAUSED' }, { ...PAGE1.data[1], status: 'REJECTED' }], paging: PAGE1.paging });
    }
    return send(200, PAGE1);
  });
  await new Promise((r) => stub.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${stub.address().port}`;
  dir = tempDir();
  const create = (name, extra) => JSON.parse(cli(['inbox', 'create', 'whatsapp', '--name', name, '--phone-number-id', '106540352242922',
    '--access-token', TOKEN, '--app-secret', 's', '--verify-token', 'v', '--api-base', base + '/v21.0', ...extra, '--json'], { data: dir }));
  wa = create('WA templates', ['--business-account-id', WABA, '--template', 'legacy_local:en']);
  waNoWaba = create('WA without WABA', []);
  cli(['agent', 'create', '--email', 'ana@example.com', '--name', 'Ana', '--role', 'agent', '--json'], { data: dir, input: 'agent-pass-123\n' });
  server = await new Server(dir, ['--demo', '--template-sync-minutes', '0']).start();
  admin = await server.login();
  agent = await server.login('ana@example.com', 'agent-pass-123');
});
after(async () => { await server.stop(); await new Promise((r) => stub.close(r)); cleanup(dir); });

const templates = async () => (await server.request('GET', `/api/v1/inboxes/${wa.id}/templates`, { token: admin })).json.items;
const sync = (id = wa.id, token = admin) => server.request('POST', `/api/v1/inboxes/${id}/templates/sync`, { token });

test('sync follows both pages and keeps only approved, sendable templates', async () => {
  assert.equal(calls.length, 0, 'no sync at start with --template-sync-minutes 0');
  const r = await sync();
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(calls.map((c) => c.after), [null, 'QVFIUa1'], 'page 2 asked for by its after cursor');
  assert.ok(calls.every((c) => c.auth === `Bearer ${TOKEN}`));
  assert.equal(r.json.listed, 5);
  assert.deepEqual(r.json.added.sort(), ['order_update', 'thanks']);
  assert.deepEqual(r.json.removed, ['legacy_local'], 'a template the provider does not list is not offered');
  assert.deepEqual(r.json.skipped.map((s) => [s.name, s.reason]),
    [['summer_sale', 'status REJECTED'], ['delivery_photo', 'its IMAGE header needs a media parameter']]);
  const got = await templates();
  assert.deepEqual(got, [
    { name: 'order_update', languages: ['en_US', 'de'], parameter_count: 3, body: 'Hi {{1}}, order {{2}} ships {{3}}.' },
    { name: 'thanks', languages: ['pt_BR'], parameter_count: 0, body: 'Obrigado pela sua compra!' },
  ]);
  assert.deepEqual(r.json.templates, got);

  const again = await sync();
  assert.equal(again.status, 200);
  assert.deepEqual([again.json.added, again.json.updated, again.json.removed, again.json.unchanged], [[], [], [], 2]);
});

test('a template no longer approved is removed at the next sync', async () => {
  mode = 'second';
  const r = await sync();
  mode = 'ok';
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.removed, ['order_update']);
  assert.deepEqual((await templates()).map((t) => t.name), ['thanks']);
  assert.equal((await sync()).status, 200);
  assert.deepEqual((await templates()).map((t) => t.name), ['order_update', 'thanks']);
});

test('a provider 401 answers 502 with the provider\'s reason and changes nothing', async () => {
  const beforeSync = await templates();
  mode = 'unauthorized';
  const r = await sync();
  mode = 'ok';
  assert.equal(r.status, 502, r.text);
  assert.equal(r.json.error.code, 'provider_error');
  assert.match(r.json.error.message, /HTTP 401.*Error validating access token/);
  assert.ok(!r.text.includes(TOKEN), 'the token never appears');
  assert.deepEqual(await templates(), beforeSync);
});

test('bad requests: no business account id, unknown inbox, not a template channel, agents', async () => {
  const missing = await sync(waNoWaba.id);
  assert.equal(missing.status, 422);
  assert.equal(missing.json.error.code, 'missing_field');
  assert.match(missing.json.error.message, /business_account_id/);
  assert.equal((await sync(999999)).status, 404);
  const inboxes = (await server.request('GET', '/api/v1/inboxes', { token: admin })).json.items;
  const api = inboxes.find((i) => i.channel === 'api');
  assert.equal((await sync(api.id)).status, 422);
  const forbidden = await sync(wa.id, agent);
  assert.equal(forbidden.status, 403);
  assert.equal((await server.request('POST', `/api/v1/inboxes/${wa.id}/templates/sync`)).status, 401);
});

test('the server syncs every inbox with a business account id by itself at start', async () => {
  const dir2 = tempDir();
  const created = JSON.parse(cli(['inbox', 'create', 'whatsapp', '--name', 'WA auto', '--phone-number-id', '1',
    '--access-token', TOKEN, '--app-secret', 's', '--verify-token', 'v', '--api-base', base + '/v21.0',
    '--business-account-id', WABA, '--json'], { data: dir2 }));
  const second = await new Server(dir2, ['--demo']).start();
  try {
    const token = await second.login();
    const names = await until(async () => {
      const r = await second.request('GET', `/api/v1/inboxes/${created.id}/templates`, { token });
      return r.json.items.length === 2 ? r.json.items.map((t) => t.name) : null;
    });
    assert.deepEqual(names, ['order_update', 'thanks']);
  } finally {
    await second.stop();
    cleanup(dir2);
  }
});
