import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, postInbound, stubServer, until } from './lib/harness.mjs';

let server, dir, inbox, token, stub;
before(async () => {
  dir = tempDir();
  stub = await stubServer([400]);
  inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Shop', '--callback-url', stub.url, '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '50', '--outbox-attempts', '3']).start();
  token = await server.login();
  for (let i = 0; i < 7; i++) {
    const r = await postInbound(server, inbox.id, inbox.secret,
                                { message_id: `c-${i}`, sender: { id: `cust-${i}`, name: `Customer ${i}` }, text: `Question ${i}` });
    assert.equal(r.status, 200);
  }
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

const get = (p) => server.request('GET', p, { token });
const post = (p, body) => server.request('POST', p, { token, body });

test('list items have id, status, contact and last_message; newest activity first', async () => {
  const r = await get('/api/v1/conversations?limit=100');
  assert.equal(r.status, 200);
  assert.ok('next_cursor' in r.json);
  const mine = r.json.items.filter((c) => c.inbox.id === inbox.id);
  assert.equal(mine.length, 7);
  for (const c of mine) {
    assert.equal(c.status, 'open');
    assert.ok(c.contact.name.startsWith('Customer '));
    assert.equal(c.last_message.direction, 'in');
    assert.equal(c.unread_count, 1);
  }
  assert.equal(mine[0].contact.name, 'Customer 6');
});

test('cursor pagination walks every conversation exactly once', async () => {
  const seen = [];
  let cursor = null;
  do {
    const r = await get('/api/v1/conversations?limit=2' + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    assert.equal(r.status, 200);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items.map((c) => c.id));
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length);
  const all = await get('/api/v1/conversations?limit=200');
  assert.equal(seen.length, all.json.items.length);
  const bad = await get('/api/v1/conversations?cursor=%%%');
  assert.equal(bad.status, 400);
});

test('read conversations sort after unread ones', async () => {
  const before = await get('/api/v1/conversations?limit=200');
  const newest = before.json.items[0];
  const read = await post(`/api/v1/conversations/${newest.id}/read`);
  assert.equal(read.json.unread_count, 0);
  const after = await get('/api/v1/conversations?limit=200');
  const firstRead = after.json.items.findIndex((c) => c.unread_count === 0);
  assert.ok(after.json.items.slice(firstRead).every((c) => c.unread_count === 0));
  assert.ok(after.json.items.findIndex((c) => c.id === newest.id) >= firstRead);
});

test('assign to me, filter mine/unassigned, resolve and reopen', async () => {
  const list = await get('/api/v1/conversations?limit=200');
  const target = list.json.items.find((c) => c.contact.name === 'Customer 3');
  const assigned = await post(`/api/v1/conversations/${target.id}/assign`);
  assert.equal(assigned.status, 200);
  assert.equal(assigned.json.assignee.name, 'Demo Admin');
  const mine = await get('/api/v1/conversations?assignee=me');
  assert.deepEqual(mine.json.items.map((c) => c.id), [target.id]);
  const none = await get('/api/v1/conversations?assignee=none&limit=200');
  assert.ok(!none.json.items.some((c) => c.id === target.id));
  const resolved = await post(`/api/v1/conversations/${target.id}/resolve`);
  assert.equal(resolved.json.status, 'resolved');
  assert.ok(!(await get('/api/v1/conversations?limit=200')).json.items.some((c) => c.id === target.id));
  assert.ok((await get('/api/v1/conversations?status=resolved')).json.items.some((c) => c.id === target.id));
  assert.equal((await post(`/api/v1/conversations/${target.id}/reopen`)).json.status, 'open');
  const badFilter = await get('/api/v1/conversations?status=sleeping');
  assert.equal(badFilter.status, 422);
});

test('unknown ids are 404 on every conversation route', async () => {
  for (const p of ['/api/v1/conversations/99999', '/api/v1/conversations/99999/messages', '/api/v1/conversations/abc']) {
    assert.equal((await get(p)).status, 404, p);
  }
  for (const a of ['messages', 'assign', 'resolve', 'reopen', 'read']) {
    const r = await post(`/api/v1/conversations/99999/${a}`, a === 'messages' ? { text: 'hi' } : {});
    assert.equal(r.status, 404, a);
  }
  const badAgent = await post('/api/v1/conversations/1/assign', { agent_id: 424242 });
  assert.equal(badAgent.status, 404);
});

test('replies: empty text 422, and a callback answering 400 dead-letters the message', async () => {
  const list = await get('/api/v1/conversations?limit=200');
  const conv = list.json.items.find((c) => c.contact.name === 'Customer 1');
  const empty = await post(`/api/v1/conversations/${conv.id}/messages`, { text: '   ' });
  assert.equal(empty.status, 422);
  const notString = await post(`/api/v1/conversations/${conv.id}/messages`, { text: 42 });
  assert.equal(notString.status, 422);
  const sent = await post(`/api/v1/conversations/${conv.id}/messages`, { text: 'We are on it.', client_message_id: 'agent-1' });
  assert.equal(sent.status, 201);
  const again = await post(`/api/v1/conversations/${conv.id}/messages`, { text: 'We are on it.', client_message_id: 'agent-1' });
  assert.equal(again.json.id, sent.json.id);
  await until(async () => {
    const msgs = await get(`/api/v1/conversations/${conv.id}/messages`);
    return msgs.json.items.find((m) => m.id === sent.json.id).status === 'failed';
  });
  assert.equal(stub.received.length, 1, 'a permanent 400 is not retried');
  const dead = await get('/api/v1/dead-letters');
  const letter = dead.json.items.find((d) => d.message_id === sent.json.id);
  assert.match(letter.last_error, /HTTP 400/);
});

test('message history pages backwards with next_cursor', async () => {
  const list = await get('/api/v1/conversations?limit=200');
  const conv = list.json.items.find((c) => c.contact.name === 'Customer 5');
  for (let i = 0; i < 5; i++) await postInbound(server, inbox.id, inbox.secret, { message_id: `more-${i}`, sender: { id: 'cust-5' }, text: `follow-up ${i}` });
  const page1 = await get(`/api/v1/conversations/${conv.id}/messages?limit=4`);
  assert.deepEqual(page1.json.items.map((m) => m.text), ['follow-up 1', 'follow-up 2', 'follow-up 3', 'follow-up 4']);
  const page2 = await get(`/api/v1/conversations/${conv.id}/messages?limit=4&cursor=${page1.json.next_cursor}`);
  assert.deepEqual(page2.json.items.map((m) => m.text), ['Question 5', 'follow-up 0']);
  assert.equal(page2.json.next_cursor, null);
});
