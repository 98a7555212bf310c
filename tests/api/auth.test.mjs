import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli } from './lib/harness.mjs';

let server, dir;
before(async () => {
  dir = tempDir();
  cli(['agent', 'create', '--email', 'agent@example.com', '--name', 'Ana Agent', '--role', 'agent'],
      { input: 'agent-password\n', data: dir });
  server = await new Server(dir, ['--demo']).start();
});
after(async () => { await server.stop(); cleanup(dir); });

test('login returns a bearer token and sets HttpOnly session and CSRF cookies', async () => {
  const r = await server.request('POST', '/api/v1/auth/login',
                                 { body: { email: 'demo@meridian.local', password: 'meridian-demo' } });
  assert.equal(r.status, 200);
  assert.ok(r.json.token.length >= 40);
  assert.equal(r.json.agent.role, 'admin');
  const cookies = r.headers.getSetCookie();
  assert.ok(cookies.some((c) => c.startsWith('meridian_session=') && /HttpOnly/.test(c) && /SameSite=Strict/.test(c)));
  assert.ok(cookies.some((c) => c.startsWith('meridian_csrf=') && !/HttpOnly/.test(c)));
  const me = await server.request('GET', '/api/v1/me', { token: r.json.token });
  assert.equal(me.json.email, 'demo@meridian.local');
});

test('wrong password and unknown email get the same 401', async () => {
  const a = await server.request('POST', '/api/v1/auth/login', { body: { email: 'demo@meridian.local', password: 'nope-nope' } });
  const b = await server.request('POST', '/api/v1/auth/login', { body: { email: 'ghost@example.com', password: 'nope-nope' } });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.error.message, b.json.error.message);
});

test('login with a missing field is 422 naming the field; malformed JSON is 400', async () => {
  const r = await server.request('POST', '/api/v1/auth/login', { body: { email: 'x@example.com' } });
  assert.equal(r.status, 422);
  assert.match(r.json.error.message, /password/);
  const bad = await server.request('POST', '/api/v1/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'invalid_json');
});

test('every API endpoint needs authentication', async () => {
  for (const [m, p] of [['GET', '/api/v1/conversations'], ['GET', '/api/v1/conversations/1'],
                        ['POST', '/api/v1/conversations/1/messages'], ['GET', '/api/v1/me'],
                        ['GET', '/api/v1/inboxes'], ['POST', '/api/v1/conversations/1/resolve']]) {
    const r = await server.request(m, p, { body: m === 'POST' ? { text: 'x' } : undefined });
    assert.equal(r.status, 401, `${m} ${p}`);
    assert.ok(r.json.error.code);
  }
  const forged = await server.request('GET', '/api/v1/me', { token: 'not-a-real-token' });
  assert.equal(forged.status, 401);
});

test('cookie-authenticated writes need the CSRF header', async () => {
  const login = await server.request('POST', '/api/v1/auth/login',
                                     { body: { email: 'demo@meridian.local', password: 'meridian-demo' } });
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]);
  const cookie = cookies.join('; ');
  const csrf = cookies.find((c) => c.startsWith('meridian_csrf=')).split('=')[1];
  const read = await server.request('GET', '/api/v1/conversations', { headers: { cookie } });
  assert.equal(read.status, 200);
  const noCsrf = await server.request('POST', '/api/v1/conversations/1/read', { headers: { cookie } });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.json.error.code, 'csrf_failed');
  const withCsrf = await server.request('POST', '/api/v1/conversations/1/read', { headers: { cookie, 'x-csrf-token': csrf } });
  assert.equal(withCsrf.status, 200);
});

test('roles: an agent cannot create inboxes or list dead letters; an admin can', async () => {
  const agent = await server.login('agent@example.com', 'agent-password');
  const admin = await server.login();
  const denied = await server.request('POST', '/api/v1/inboxes', { token: agent, body: { channel: 'webchat', name: 'X' } });
  assert.equal(denied.status, 403);
  assert.equal((await server.request('GET', '/api/v1/dead-letters', { token: agent })).status, 403);
  const ok = await server.request('POST', '/api/v1/inboxes', { token: admin, body: { channel: 'webchat', name: 'Shop 2' } });
  assert.equal(ok.status, 201);
  const unknown = await server.request('POST', '/api/v1/inboxes', { token: admin, body: { channel: 'pigeon', name: 'X' } });
  assert.equal(unknown.status, 422);
});

test('logout ends the session', async () => {
  const token = await server.login();
  assert.equal((await server.request('POST', '/api/v1/auth/logout', { token })).status, 200);
  assert.equal((await server.request('GET', '/api/v1/me', { token })).status, 401);
});

test('repeated failed logins are rate limited', async () => {
  let last;
  for (let i = 0; i < 12; i++) {
    last = await server.request('POST', '/api/v1/auth/login', { body: { email: 'agent@example.com', password: 'wrong-' + i } });
  }
  assert.equal(last.status, 429);
  // Even the right password is refused while throttled.
  const right = await server.request('POST', '/api/v1/auth/login', { body: { email: 'agent@example.com', password: 'agent-password' } });
  assert.equal(right.status, 429);
});
