// Kill -9 the server while a client streams inbound messages: after a restart, every message
// that was acknowledged is present exactly once, and retries of the unacknowledged ones create
// no duplicates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, sign, until } from './lib/harness.mjs';

test('acknowledged messages survive kill -9 exactly once; retries do not duplicate', async () => {
  const dir = tempDir();
  const inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Crash', '--json'], { data: dir }));
  let server = await new Server(dir, ['--demo']).start();
  const acked = new Set();
  const attempted = [];
  const send = async (base, i) => {
    const body = JSON.stringify({ message_id: `crash-${i}`, sender: { id: `s-${i % 50}`, name: `Sender ${i % 50}` }, text: `message ${i}` });
    const r = await fetch(`${base}/api/v1/inboxes/${inbox.id}/inbound`, {
      method: 'POST', body, headers: { 'content-type': 'application/json', 'x-meridian-signature': sign(inbox.secret, body) } });
    if (r.status !== 200) throw new Error('status ' + r.status);
    return i;
  };
  // 16 concurrent streams; kill -9 once a few dozen messages were acknowledged.
  let next = 0;
  let killed = false;
  const base = server.base;
  const streams = Array.from({ length: 16 }, async () => {
    while (!killed && next < 100000) {
      const i = next++;
      attempted.push(i);
      try { acked.add(await send(base, i)); } catch { /* the server died mid-request */ }
    }
  });
  await until(() => acked.size >= 40, { timeout: 60000, interval: 5 });
  server.proc.kill('SIGKILL');
  killed = true;
  await Promise.all(streams);
  await server.exited;
  assert.ok(acked.size >= 40);

  server = await new Server(dir).start();
  try {
    const token = await server.login();
    // The client retries everything it attempted (acknowledged or not).
    for (const i of attempted) await send(server.base, i);
    const counts = new Map();
    let cursor = null;
    do {
      const page = await server.request('GET', `/api/v1/conversations?status=all&limit=200${cursor ? '&cursor=' + cursor : ''}`, { token });
      for (const c of page.json.items) {
        if (c.inbox.id !== inbox.id) continue;
        let mc = null;
        do {
          const msgs = await server.request('GET', `/api/v1/conversations/${c.id}/messages?limit=200${mc ? '&cursor=' + mc : ''}`, { token });
          for (const m of msgs.json.items) counts.set(m.text, (counts.get(m.text) || 0) + 1);
          mc = msgs.json.next_cursor;
        } while (mc);
      }
      cursor = page.json.next_cursor;
    } while (cursor);
    for (const i of acked) assert.equal(counts.get(`message ${i}`), 1, `acknowledged message ${i}`);
    for (const i of attempted) assert.equal(counts.get(`message ${i}`), 1, `retried message ${i}`);
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), new Set(attempted).size);
  } finally {
    await server.stop();
    cleanup(dir);
  }
});
