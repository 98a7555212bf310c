// Editing inboxes after they exist: PATCH /api/v1/inboxes/{id}, POST .../rotate-secret, and the
// same from the shell (`meridian inbox update`, `meridian inbox rotate-secret`) while serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, postInbound, sign, stubServer, until } from './lib/harness.mjs';

let server, dir, inbox, admin, agent, first, second;
before(async () => {
  dir = tempDir();
  first = await stubServer([200]);
  second = await stubServer([200]);
  inbox = JSON.parse(cli(['inbox', 'create', 'api', '--name', 'Marketplace', '--callback-url', first.url, '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  admin = await server.login();
  agent = await server.login('li.wei@meridian.local');
});
after(async () => { await server.stop(); await first.close(); await second.close(); cleanup(dir); });

const path = (id = inbox.id) => `/api/v1/inboxes/${id}`;
let sequence = 0;

// A new customer message into the inbox signed with `secret`; the response.
function inbound(secret, name = `Customer ${++sequence}`) {
  return postInbound(server, inbox.id, secret,
                     { message_id: `adm-${++sequence}`, sender: { id: `c-${name}`, name }, text: 'Hello?' });
}

// Writes an agent reply to `name`'s conversation; resolves to the reply's text.
async function replyTo(name, text) {
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token: admin });
  const conv = list.json.items.find((c) => c.contact.name === name);
  assert.ok(conv, `no conversation of ${name}`);
  const sent = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token: admin, body: { text } });
  assert.equal(sent.status, 201);
  return text;
}

const bodies = (stub) => stub.received.map((r) => JSON.parse(r.body).text);

test('GET shows an inbox without its secret; agents may not read or change inboxes', async () => {
  const r = await server.request('GET', path(), { token: admin });
  assert.equal(r.status, 200);
  assert.equal(r.json.id, inbox.id);
  assert.equal(r.json.config.callback_url, first.url);
  assert.equal(r.json.revision, 0);
  assert.equal(r.json.previous_secret_valid_until, null);
  assert.ok(!r.text.includes(inbox.secret), 'the secret must never be shown again');
  assert.equal((await server.request('GET', path(), { token: agent })).status, 403);
  assert.equal((await server.request('PATCH', path(), { token: agent, body: { name: 'Mine' } })).status, 403);
  assert.equal((await server.request('POST', `${path()}/rotate-secret`, { token: agent, body: {} })).status, 403);
  assert.equal((await server.request('GET', path(987654), { token: admin })).status, 404);
  assert.equal((await server.request('PATCH', path(987654), { token: admin, body: { name: 'x' } })).status, 404);
});

test('bad changes get a clear error and leave the inbox as it was', async () => {
  const before = (await server.request('GET', path(), { token: admin })).json;
  const cases = [
    [{ raw: '{"name":', headers: { 'content-type': 'application/json' } }, 400, /JSON/i],
    [{ body: { name: 'Renamed', config: { callback_url: 'ftp://example.com/cb' } } }, 422, /callback_url/],
    [{ body: { name: 42 } }, 422, /'name'/],
    [{ body: { config: 'callback_url=x' } }, 422, /'config'/],
    [{ body: { secrets: { app_secret: 'x' } } }, 422, /credentials/],
    [{ body: { password: 'x' } }, 422, /password/],
  ];
  for (const [request, status, message] of cases) {
    const r = await server.request('PATCH', path(), { token: admin, ...request });
    assert.equal(r.status, status, JSON.stringify(request));
    assert.match(r.json.error.message, message);
  }
  const after = (await server.request('GET', path(), { token: admin })).json;
  assert.deepEqual(after, before);
});

test('a new callback URL takes effect for the next reply at once', async () => {
  assert.equal((await inbound(inbox.secret, 'Ana Callback')).status, 200);
  await replyTo('Ana Callback', 'to the first endpoint');
  await until(() => bodies(first).includes('to the first endpoint'));

  const r = await server.request('PATCH', path(), { token: admin, body: { name: 'Marketplace EU', config: { callback_url: second.url } } });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, 'Marketplace EU');
  assert.equal(r.json.config.callback_url, second.url);
  assert.equal(r.json.revision, 1);

  await replyTo('Ana Callback', 'to the second endpoint');
  const got = await until(() => second.received.find((x) => JSON.parse(x.body).text === 'to the second endpoint'));
  assert.equal(got.headers['x-meridian-signature'], sign(inbox.secret, got.body));
  assert.ok(!bodies(first).includes('to the second endpoint'));
  // The same body again changes nothing: no new revision.
  const again = await server.request('PATCH', path(), { token: admin, body: { config: { callback_url: second.url } } });
  assert.equal(again.json.revision, 1);
});

test('a rotated secret: both verify during the grace period, then only the new one', async () => {
  const old = inbox.secret;
  const bad = [[{ grace_seconds: -1 }, /grace_seconds/], [{ grace_seconds: 'a day' }, /grace_seconds/],
               [{ grace_seconds: 8 * 86400 }, /grace_seconds/], [{ grace_seconds: 1e15 }, /grace_seconds/]];
  for (const [body, message] of bad) {
    const r = await server.request('POST', `${path()}/rotate-secret`, { token: admin, body });
    assert.equal(r.status, 422);
    assert.match(r.json.error.message, message);
  }
  assert.equal((await inbound(old)).status, 200, 'refused rotations leave the secret as it was');

  const rotated = await server.request('POST', `${path()}/rotate-secret`, { token: admin, body: { grace_seconds: 3600 } });
  assert.equal(rotated.status, 200);
  const fresh = rotated.json.secret;
  assert.ok(fresh.length >= 32 && fresh !== old);
  const until1 = Date.parse(rotated.json.previous_secret_valid_until) - Date.now();
  assert.ok(until1 > 3500e3 && until1 <= 3600e3, `grace ends in ${until1} ms`);
  assert.equal((await inbound(old)).status, 200);
  assert.equal((await inbound(fresh, 'Bo Rotation')).status, 200);
  assert.equal((await inbound('never-the-secret')).status, 401);
  const shown = await server.request('GET', path(), { token: admin });
  assert.equal(shown.json.previous_secret_valid_until, rotated.json.previous_secret_valid_until);
  assert.ok(!shown.text.includes(fresh));

  // Replies are signed with the new secret straight away.
  await replyTo('Bo Rotation', 'signed anew');
  const got = await until(() => second.received.find((x) => JSON.parse(x.body).text === 'signed anew'));
  assert.equal(got.headers['x-meridian-signature'], sign(fresh, got.body));

  // Rotating again without grace: the secret before is refused at once.
  const now = await server.request('POST', `${path()}/rotate-secret`, { token: admin, body: { grace_seconds: 0 } });
  assert.equal(now.status, 200);
  assert.equal(now.json.previous_secret_valid_until, null);
  const refused = await inbound(fresh);
  assert.equal(refused.status, 401);
  assert.equal(refused.json.error.code, 'invalid_signature');
  assert.equal((await inbound(old)).status, 401);
  assert.equal((await inbound(now.json.secret)).status, 200);
  inbox.secret = now.json.secret;

  const webchat = (await server.request('GET', '/api/v1/inboxes', { token: admin })).json.items.find((i) => i.channel === 'webchat');
  const notApi = await server.request('POST', `${path(webchat.id)}/rotate-secret`, { token: admin, body: {} });
  assert.equal(notApi.status, 422);
});

test('the shell commands change a running server\'s inbox within a second or so', async () => {
  const updated = JSON.parse(cli(['inbox', 'update', String(inbox.id), '--callback-url', first.url, '--name', 'From the shell', '--json'], { data: dir }));
  assert.equal(updated.config.callback_url, first.url);
  assert.equal(updated.name, 'From the shell');
  // The server reads inboxes again after store::kInboxCacheMs (1 s).
  await until(async () => (await server.request('GET', path(), { token: admin })).json.name === 'From the shell', { timeout: 5000 });
  assert.equal((await inbound(inbox.secret, 'Cy Shell')).status, 200);
  await replyTo('Cy Shell', 'back to the first endpoint');
  await until(() => bodies(first).includes('back to the first endpoint'));

  const rotated = JSON.parse(cli(['inbox', 'rotate-secret', String(inbox.id), '--grace-seconds', '0', '--json'], { data: dir }));
  assert.equal(rotated.id, inbox.id);
  assert.equal(rotated.previous_secret_valid_until, null);
  await until(async () => (await inbound(rotated.secret)).status === 200, { timeout: 5000 });
  assert.equal((await inbound(inbox.secret)).status, 401);

  // Refused from the shell as from the API, with the reason and a failing exit status.
  assert.throws(() => cli(['inbox', 'update', String(inbox.id), '--callback-url', 'mailto:x@example.com'], { data: dir }),
                (e) => e.status === 2 && /callback_url/.test(e.stderr));
  assert.throws(() => cli(['inbox', 'update', '987654', '--name', 'x'], { data: dir }),
                (e) => e.status === 2 && /987654/.test(e.stderr));
  assert.throws(() => cli(['inbox', 'update', String(inbox.id), '--set', 'novalue'], { data: dir }),
                (e) => e.status === 2 && /KEY=VALUE/.test(e.stderr));
});
