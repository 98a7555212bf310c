import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { Server, tempDir, cleanup, cli, postInbound } from './lib/harness.mjs';

test('health, readiness, metrics and the OpenAPI document', async () => {
  const dir = tempDir();
  const inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'M', '--json'], { data: dir }));
  const server = await new Server(dir).start();
  try {
    assert.equal((await server.request('GET', '/healthz')).status, 200);
    assert.equal((await server.request('GET', '/readyz')).json.status, 'ready');
    await postInbound(server, inbox.id, inbox.secret, { message_id: 'm1', sender: { id: 's' }, text: 'hi' });
    const metrics = await server.request('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /meridian_messages_ingested_total 1/);
    assert.match(metrics.text, /meridian_http_request_duration_seconds_bucket\{method="POST",route="\/api\/v1\/inboxes\/\{inbox_id\}\/inbound",le="\+Inf"\} 1/);
    assert.match(metrics.text, /meridian_store_write_batch_size_count/);
    assert.match(metrics.text, /meridian_outbox_depth 0/);
    const doc = await server.request('GET', '/api/v1/openapi.json');
    assert.equal(doc.json.openapi, '3.1.0');
    assert.ok(doc.json.paths['/api/v1/conversations']);
    assert.ok(doc.json.paths['/api/v1/inboxes/{inbox_id}/inbound']);
    assert.equal((await server.request('GET', '/api/v1/nothing-here')).status, 404);
    assert.equal((await server.request('DELETE', '/healthz')).status, 405);
  } finally {
    const exit = await server.stop('SIGTERM');
    assert.equal(exit.code, 0, 'SIGTERM is a clean shutdown');
    cleanup(dir);
  }
});

test('CLI: agent create validates input and refuses duplicates; migrate reports the version', () => {
  const dir = tempDir();
  try {
    const out = JSON.parse(cli(['agent', 'create', '--email', 'Li@Example.com', '--name', 'Li', '--role', 'supervisor', '--json'],
                               { input: 'long-enough-pw\n', data: dir }));
    assert.equal(out.email, 'li@example.com');
    assert.equal(out.role, 'supervisor');
    assert.throws(() => cli(['agent', 'create', '--email', 'li@example.com', '--name', 'Li', '--json'], { input: 'long-enough-pw\n', data: dir }));
    assert.throws(() => cli(['agent', 'create', '--email', 'x@example.com', '--name', 'X', '--role', 'boss'], { input: 'long-enough-pw\n', data: dir }));
    assert.throws(() => cli(['agent', 'create', '--email', 'y@example.com', '--name', 'Y'], { input: 'short\n', data: dir }));
    // Every migration applied: 9 is contact identities (CH8).
    assert.match(cli(['migrate'], { data: dir }), /schema version 15\n/);
  } finally { cleanup(dir); }
});

test('graceful shutdown finishes an in-flight request', async () => {
  const dir = tempDir();
  const server = await new Server(dir, ['--demo']).start();
  try {
    // A login (slow: Argon2id) on a keep-alive connection; SIGTERM only once /metrics shows it
    // handed to its handler and not answered yet: it must still be answered.
    const { hostname, port } = new URL(server.base);
    const socket = net.connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => { received += d; });
    const until = async (pred) => { while (!pred()) await new Promise((r) => setTimeout(r, 2)); };
    const inFlight = async () => {
      const text = await (await fetch(`${server.base}/metrics`)).text();
      return Number(/^meridian_http_requests_in_flight (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const body = JSON.stringify({ email: 'demo@meridian.local', password: 'meridian-demo' });
    let caught = false;
    // Argon2id takes tens of ms, /metrics one: the login is nearly always seen in flight on the
    // first try; if it was answered first, try again.
    for (let attempt = 0; attempt < 20 && !caught; attempt++) {
      received = '';
      socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: ${hostname}\r\n` +
                   `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      while (!received.includes('"token"')) {
        if (await inFlight() >= 2) { caught = true; break; }  // the login and this /metrics
      }
      if (!caught) await until(() => received.includes('"token"'));
    }
    assert.ok(caught, 'the login was seen in flight');
    server.proc.kill('SIGTERM');
    await until(() => received.includes('"token"') || socket.destroyed);
    assert.match(received, /^HTTP\/1\.1 200/);
    assert.match(received, /"token"/);
    socket.destroy();
    assert.equal((await server.exited).code, 0);
  } finally { cleanup(dir); }
});
