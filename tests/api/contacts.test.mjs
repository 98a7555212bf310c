// CH8, one customer with many identities: automatic merge on a verified phone across WhatsApp and
// the API channel, no automatic merge on an unverified email (a duplicate suggestion instead),
// manual merge and split round trip, the cross-channel timeline, permissions and refusals that
// write nothing, the auto-merge switch, and live contact.updated frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Server, tempDir, cleanup, cli, postInbound, openSocket, until } from './lib/harness.mjs';
import { metaSignature, conversationOf } from './lib/providers.mjs';

const APP_SECRET = 'wa-contacts-secret';
const PNID = '106540352240001';
let server, dir, apiInbox, waInbox, webInbox, admin, agent;
let seq = 0;

before(async () => {
  dir = tempDir();
  apiInbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Shop API', '--json'], { data: dir }));
  waInbox = JSON.parse(cli(['inbox', 'create', 'whatsapp', '--name', 'WA', '--phone-number-id', PNID,
    '--access-token', 'token', '--app-secret', APP_SECRET, '--verify-token', 'v', '--api-base', 'http://127.0.0.1:9/v21.0', '--json'], { data: dir }));
  server = await new Server(dir, ['--demo']).start();
  admin = await server.login();
  agent = await server.login('li.wei@meridian.local', 'meridian-demo');
  const web = await server.request('POST', '/api/v1/inboxes', { token: admin, body: { channel: 'webchat', name: 'Shop chat' } });
  assert.equal(web.status, 201, web.text);
  webInbox = web.json;
});
after(async () => { await server.stop(); cleanup(dir); });

const get = (path, token = admin) => server.request('GET', path, { token });
const post = (path, body, token = admin) => server.request('POST', path, { token, body });

async function apiMessage(sender, text) {
  const r = await postInbound(server, apiInbox.id, apiInbox.secret, { message_id: `api-${++seq}`, sender, text });
  assert.equal(r.status, 200, r.text);
  return r;
}

async function waMessage(from, name, text) {
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PNID },
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id: `wamid.C${++seq}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }] } }] }] });
  const r = await server.request('POST', `/webhooks/whatsapp/${waInbox.id}`, { raw: body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(APP_SECRET, body) } });
  assert.equal(r.status, 200, r.text);
  return r;
}

async function contactOf(name) {
  const conv = await conversationOf(server, admin, name);
  assert.ok(conv, `a conversation of ${name}`);
  return conv.contact.id;
}

test('a verified phone from the API channel and a WhatsApp sender become one contact', async () => {
  await apiMessage({ id: 'shop-42', name: 'Lena Vogel', phone: '+49 151 23456789', phone_verified: true }, 'Bestellung 5001?');
  const lena = await contactOf('Lena Vogel');
  await waMessage('4915123456789', 'Lena WA', 'Hallo, hier nochmal per WhatsApp');
  const contact = await get(`/api/v1/contacts/${lena}`);
  assert.equal(contact.status, 200, contact.text);
  assert.equal(contact.json.name, 'Lena Vogel', 'the older contact survives with its name');
  assert.equal(contact.json.phone, '+4915123456789');
  assert.deepEqual(contact.json.identities.map((i) => i.channel).sort(), ['api', 'whatsapp']);
  const wa = contact.json.identities.find((i) => i.channel === 'whatsapp');
  assert.deepEqual(wa.attributes.map((a) => [a.kind, a.value, a.verified]), [['phone', '+4915123456789', true]]);
  assert.equal(contact.json.conversations.length, 2);
  assert.ok(contact.json.conversations.every((c) => c.contact.id === lena));
});

test('an unverified email never merges; it is suggested, and a signed one merges', async () => {
  await apiMessage({ id: 'shop-77', name: 'Maria Silva', email: 'Maria@Example.com', email_verified: true }, 'Olá');
  const maria = await contactOf('Maria Silva');
  const claim = await server.request('POST', `/api/v1/widget/${webInbox.id}/session`, { body: { email: 'maria@example.com' } });
  assert.equal(claim.status, 200, claim.text);
  const dups = await get(`/api/v1/contacts/${maria}/duplicates`);
  assert.equal(dups.status, 200);
  assert.equal(dups.json.items.length, 1, 'the visitor is a possible duplicate');
  assert.deepEqual(dups.json.items[0].shared.map((a) => [a.value, a.verified]), [['maria@example.com', false]]);
  assert.equal((await get(`/api/v1/contacts/${maria}`)).json.identities.length, 1, 'not merged');

  const wrong = await server.request('POST', `/api/v1/widget/${webInbox.id}/session`,
    { body: { email: 'maria@example.com', identity_hash: 'ab'.repeat(32) } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.json.error.code, 'invalid_signature');
  const badEmail = await server.request('POST', `/api/v1/widget/${webInbox.id}/session`, { body: { email: 'not-an-email' } });
  assert.equal(badEmail.status, 422);

  const hash = createHmac('sha256', webInbox.secret).update('maria@example.com').digest('hex');
  const signed = await server.request('POST', `/api/v1/widget/${webInbox.id}/session`,
    { body: { email: 'maria@example.com', identity_hash: hash } });
  assert.equal(signed.status, 200, signed.text);
  const merged = await get(`/api/v1/contacts/${maria}`);
  assert.deepEqual(merged.json.identities.map((i) => i.channel), ['api', 'webchat']);
  assert.equal(merged.json.email, 'maria@example.com');
  assert.equal((await get(`/api/v1/contacts/${maria}/duplicates`)).json.items.length, 1,
    'the first, unverified visitor is still only a suggestion');
});

test('an email the customer writes in a message is suggested, never merged', async () => {
  await apiMessage({ id: 'shop-61', name: 'Jonas Berg', email: 'jonas@example.com', email_verified: true }, 'Hej');
  await apiMessage({ id: 'shop-62', name: 'J. Berg' }, 'Det är jag, min e-post är jonas@example.com');
  const jonas = await contactOf('Jonas Berg');
  const other = await contactOf('J. Berg');
  // The enrichment pipeline finds the address after the message is stored.
  const dups = await until(async () => {
    const r = await get(`/api/v1/contacts/${jonas}/duplicates`);
    return r.json.items.length > 0 && r.json;
  });
  assert.equal(dups.items[0].contact.id, other);
  assert.deepEqual(dups.items[0].shared.map((a) => [a.value, a.verified]), [['jonas@example.com', false]]);
  assert.equal((await get(`/api/v1/contacts/${jonas}`)).json.identities.length, 1);
});

test('manual merge and split round trip, with one time-ordered timeline across channels', async () => {
  const ws = await openSocket(`${server.wsBase}/api/v1/ws?token=${admin}`);
  await apiMessage({ id: 'shop-9', name: 'Tom Api' }, 't1 api');
  await waMessage('819012345678', 'Tom WA', 't2 whatsapp');
  await apiMessage({ id: 'shop-9', name: 'Tom Api' }, 't3 api');
  await waMessage('819012345678', 'Tom WA', 't4 whatsapp');
  const a = await contactOf('Tom Api');
  const b = await contactOf('Tom WA');
  assert.notEqual(a, b);

  const merged = await post(`/api/v1/contacts/${a}/merge`, { other_id: b });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.json.merge.merged, b);
  assert.equal(merged.json.contact.identities.length, 2);
  const frame = await ws.next((f) => f.type === 'contact.updated' && f.contact_id === a);
  assert.equal(frame.action, 'merge');
  assert.deepEqual(frame.other_contact_ids, [b]);
  await ws.next((f) => f.type === 'conversation.updated' && f.conversation.contact.id === a && f.conversation.inbox.channel === 'whatsapp');

  const gone = await get(`/api/v1/contacts/${b}`);
  assert.equal(gone.status, 404);
  assert.equal(gone.json.error.code, 'contact_merged');

  const page1 = await get(`/api/v1/contacts/${a}/messages?limit=3`);
  assert.equal(page1.status, 200, page1.text);
  assert.ok(page1.json.next_cursor);
  const page2 = await get(`/api/v1/contacts/${a}/messages?limit=3&cursor=${encodeURIComponent(page1.json.next_cursor)}`);
  const all = [...page2.json.items, ...page1.json.items];
  assert.deepEqual(all.map((m) => m.text), ['t1 api', 't2 whatsapp', 't3 api', 't4 whatsapp']);
  assert.deepEqual(all.map((m) => m.channel), ['api', 'whatsapp', 'api', 'whatsapp']);
  assert.equal(page2.json.next_cursor, null);

  const waIdentity = merged.json.contact.identities.find((i) => i.channel === 'whatsapp').id;
  const split = await post(`/api/v1/contacts/${a}/split`, { identity_ids: [waIdentity] });
  assert.equal(split.status, 201, split.text);
  const c = split.json.split.contact_id;
  assert.equal(split.json.contact.name, 'Tom WA');
  assert.deepEqual(split.json.contact.identities.map((i) => i.id), [waIdentity]);
  assert.deepEqual((await get(`/api/v1/contacts/${c}/messages`)).json.items.map((m) => m.text), ['t2 whatsapp', 't4 whatsapp']);
  assert.deepEqual((await get(`/api/v1/contacts/${a}/messages`)).json.items.map((m) => m.text), ['t1 api', 't3 api']);
  const splitFrame = await ws.next((f) => f.type === 'contact.updated' && f.action === 'split');
  assert.deepEqual(splitFrame.other_contact_ids, [c]);
  ws.close();
});

test('permissions, unknown ids and bad bodies are refused and write nothing', async () => {
  await apiMessage({ id: 'shop-501', name: 'Ana One' }, 'one');
  await apiMessage({ id: 'shop-502', name: 'Ana Two' }, 'two');
  const one = await contactOf('Ana One');
  const two = await contactOf('Ana Two');
  const before = (await get(`/api/v1/contacts/${one}`)).json;

  assert.equal((await get(`/api/v1/contacts/${one}`, agent)).status, 200, 'agents read contacts');
  const forbidden = await post(`/api/v1/contacts/${one}/merge`, { other_id: two }, agent);
  assert.equal(forbidden.status, 403);
  assert.equal((await post(`/api/v1/contacts/${one}/split`, { identity_ids: [1] }, agent)).status, 403);
  assert.equal((await server.request('GET', `/api/v1/contacts/${one}`)).status, 401);

  assert.equal((await get('/api/v1/contacts/999999')).status, 404);
  assert.equal((await get('/api/v1/contacts/999999/messages')).status, 404);
  assert.equal((await post('/api/v1/contacts/999999/merge', { other_id: one })).status, 404);
  assert.equal((await post(`/api/v1/contacts/${one}/merge`, { other_id: 999999 })).status, 404);
  const self = await post(`/api/v1/contacts/${one}/merge`, { other_id: one });
  assert.equal(self.status, 422);
  assert.equal(self.json.error.code, 'same_contact');
  assert.equal((await post(`/api/v1/contacts/${one}/merge`, { other_id: 'two' })).status, 422);
  assert.equal((await post(`/api/v1/contacts/${one}/merge`, {})).json.error.code, 'missing_field');
  assert.equal((await post(`/api/v1/contacts/${one}/split`, { identity_ids: 'x' })).status, 422);
  assert.equal((await post(`/api/v1/contacts/${one}/split`, { identity_ids: [] })).status, 422);
  const otherIdentity = (await get(`/api/v1/contacts/${two}`)).json.identities[0].id;
  const foreign = await post(`/api/v1/contacts/${one}/split`, { identity_ids: [otherIdentity] });
  assert.equal(foreign.status, 422);
  assert.equal(foreign.json.error.code, 'identity_not_on_contact');
  const all = await post(`/api/v1/contacts/${one}/split`, { identity_ids: [before.identities[0].id] });
  assert.equal(all.json.error.code, 'split_leaves_nothing');
  assert.equal((await get(`/api/v1/contacts/${one}/messages?cursor=%%%`)).status, 400);
  // (The enrichment pipeline may set a conversation's language meanwhile: compare the contact's shape.)
  const shape = (c) => ({ name: c.name, identities: c.identities, conversations: c.conversations.map((x) => [x.id, x.contact.id]) });
  assert.deepEqual(shape((await get(`/api/v1/contacts/${one}`)).json), shape(before), 'nothing changed');
  assert.equal((await get(`/api/v1/contacts/${two}`)).status, 200);

  assert.equal((await post(`/api/v1/contacts/${one}/merge`, { other_id: two })).status, 200);
  const again = await post(`/api/v1/contacts/${one}/merge`, { other_id: two });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.code, 'contact_merged');
});

test('the auto-merge switch: admins turn it off, then verified matches are only suggested', async () => {
  assert.equal((await server.request('PATCH', '/api/v1/settings/contacts', { token: agent, body: { auto_merge_verified: false } })).status, 403);
  assert.equal((await server.request('PATCH', '/api/v1/settings/contacts', { token: admin, body: { auto_merge_verified: 'no' } })).status, 422);
  const off = await server.request('PATCH', '/api/v1/settings/contacts', { token: admin, body: { auto_merge_verified: false } });
  assert.equal(off.status, 200);
  assert.deepEqual((await get('/api/v1/settings/contacts')).json, { auto_merge_verified: false });
  await apiMessage({ id: 'shop-88', name: 'Kai Api', phone: '+14155550199', phone_verified: true }, 'k1');
  await waMessage('14155550199', 'Kai WA', 'k2');
  const kai = await contactOf('Kai Api');
  assert.equal((await get(`/api/v1/contacts/${kai}`)).json.identities.length, 1);
  assert.equal((await get(`/api/v1/contacts/${kai}/duplicates`)).json.items.length, 1);
  await server.request('PATCH', '/api/v1/settings/contacts', { token: admin, body: { auto_merge_verified: true } });
});

test('a merge keeps the survivor\'s country and time zone, fills what it lacks, and a split gives it back', async () => {
  // Demo contacts carry a country and time zone (Tanaka Yui: JP, Asia/Tokyo; Emma Schulz: CH,
  // Europe/Zurich; Sofia Rossi: IT, Europe/Rome); a new API sender has neither.
  await apiMessage({ id: 'yui-web', name: 'Yui Web' }, 'Hello again, it is Yui');
  const yui = await contactOf('Yui Web');
  const tanaka = await contactOf('Tanaka Yui');
  assert.equal((await get(`/api/v1/contacts/${yui}`)).json.country, null);
  const tanakaIdentity = (await get(`/api/v1/contacts/${tanaka}`)).json.identities[0].id;
  const merged = await post(`/api/v1/contacts/${yui}/merge`, { other_id: tanaka });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.json.contact.name, 'Yui Web', 'the survivor keeps its own name');
  assert.equal(merged.json.contact.country, 'JP', 'filled from the merged contact');
  assert.equal(merged.json.contact.time_zone, 'Asia/Tokyo');

  const emma = await contactOf('Emma Schulz');
  const sofia = await contactOf('Sofia Rossi');
  const kept = await post(`/api/v1/contacts/${emma}/merge`, { other_id: sofia });
  assert.equal(kept.status, 200, kept.text);
  assert.deepEqual([kept.json.contact.country, kept.json.contact.time_zone], ['CH', 'Europe/Zurich'],
    'the survivor\'s own values win');

  const split = await post(`/api/v1/contacts/${yui}/split`, { identity_ids: [tanakaIdentity] });
  assert.equal(split.status, 201, split.text);
  assert.deepEqual([split.json.contact.name, split.json.contact.country, split.json.contact.time_zone],
    ['Tanaka Yui', 'JP', 'Asia/Tokyo'], 'the split-off customer has its profile back');
  const left = (await get(`/api/v1/contacts/${yui}`)).json;
  assert.deepEqual([left.name, left.country, left.time_zone], ['Yui Web', null, null], 'what the merge filled is taken back');
});
