// Files in web chat, both ways (CH9): a visitor uploads over HTTP with their token, the server
// sniffs the bytes, accepts only images/PDF/plain text, limits the size, stores the file
// content-addressed and the message with it, de-duplicated by client message id; agents see it
// live and fetch it. Agents reply with a file; the visitor sees it live and fetches it through
// a URL signed for them alone. Failures leave nothing behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Server, tempDir, cleanup, openSocket } from './lib/harness.mjs';

const LIMIT = 200_000;
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
const HTML = Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>');

let server, dir, token, webInbox, apiInbox;
before(async () => {
  dir = tempDir();
  server = await new Server(dir, ['--demo', '--webchat-max-upload-bytes', String(LIMIT)]).start();
  token = await server.login();
  const inboxes = await server.request('GET', '/api/v1/inboxes', { token });
  webInbox = inboxes.json.items.find((i) => i.channel === 'webchat').id;
  apiInbox = inboxes.json.items.find((i) => i.channel === 'api');
});
after(async () => { await server.stop(); cleanup(dir); });

async function visitor() {
  const r = await server.request('POST', `/api/v1/widget/${webInbox}/session`, { body: {} });
  assert.equal(r.status, 200);
  return r.json.token;
}

function upload(visitorToken, bytes, { type = 'image/png', name = 'photo.png', id = crypto.randomUUID(), caption } = {}) {
  const headers = { 'content-type': type, 'x-filename': encodeURIComponent(name), 'x-client-message-id': id };
  if (visitorToken !== null) headers.authorization = `Bearer ${visitorToken}`;
  if (caption !== undefined) headers['x-caption'] = encodeURIComponent(caption);
  return server.request('POST', '/api/v1/widget/uploads', { raw: bytes, headers });
}

function blobCount() {
  let n = 0;
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!e.startsWith('.tmp')) n++;
    }
  };
  walk(join(dir, 'blobs'));
  return n;
}

async function history(visitorToken) {
  const h = await server.request('GET', `/api/v1/widget/messages?token=${encodeURIComponent(visitorToken)}`);
  assert.equal(h.status, 200);
  return h.json.items;
}

async function getRaw(path, headers = {}) {
  const res = await fetch(server.base + path, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('a visitor uploads an image: stored with the sniffed type, live to agents, theirs to fetch', async () => {
  const agent = await openSocket(`${server.wsBase}/api/v1/ws?token=${token}`);
  const v = await visitor();
  // The claim says JPEG; the bytes are a PNG.
  const r = await upload(v, PNG, { type: 'image/jpeg', name: 'Foto März.jpg', caption: 'So kam es an' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  assert.equal(r.json.text, 'So kam es an');
  assert.equal(r.json.direction, 'in');
  assert.equal(r.json.attachments.length, 1);
  const file = r.json.attachments[0];
  assert.equal(file.content_type, 'image/png');
  assert.equal(file.name, 'Foto März.jpg');
  assert.equal(file.size, PNG.length);
  assert.match(file.url, /^\/api\/v1\/widget\/attachments\/\d+\?visitor=.+&expires=\d+&signature=/);

  const created = await agent.next((f) => f.type === 'message.created' && f.message.id === r.json.id);
  assert.equal(created.message.attachments[0].content_type, 'image/png');
  assert.equal(created.message.attachments[0].url, `/api/v1/attachments/${file.id}`);
  agent.close();

  const forAgent = await getRaw(`/api/v1/attachments/${file.id}`, { authorization: `Bearer ${token}` });
  assert.equal(forAgent.status, 200);
  assert.equal(forAgent.headers.get('content-type'), 'image/png');
  assert.equal(forAgent.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(forAgent.body, PNG);
  assert.equal((await getRaw(`/api/v1/attachments/${file.id}`)).status, 401);

  // The visitor's own signed link works; the history gives a fresh one.
  const mine = await getRaw(file.url);
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('content-type'), 'image/png');
  assert.equal(mine.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(mine.body, PNG);
  const items = await history(v);
  assert.equal(items.at(-1).attachments[0].id, file.id);
  assert.equal((await getRaw(`/api/v1/widget/attachments/${file.id}?token=${encodeURIComponent(v)}`)).status, 200);

  // Another visitor gets nothing: not with their token, not with a link doctored for them.
  const other = await visitor();
  assert.equal((await getRaw(`/api/v1/widget/attachments/${file.id}?token=${encodeURIComponent(other)}`)).status, 404);
  const otherId = other.split('.')[1];
  const doctored = file.url.replace(/visitor=[^&]+/, `visitor=${webInbox}.${otherId}`);
  assert.equal((await getRaw(doctored)).status, 401);
  const forged = file.url.replace(/signature=.*/, 'signature=AAAA');
  assert.equal((await getRaw(forged)).status, 401);
  const expired = file.url.replace(/expires=\d+/, 'expires=1000');
  assert.equal((await getRaw(expired)).status, 401);
  assert.equal((await getRaw(`/api/v1/widget/attachments/${file.id}`)).status, 401);
});

test('HTML claiming to be a PNG is refused with 415 and nothing is stored', async () => {
  const v = await visitor();
  const before = blobCount();
  const r = await upload(v, HTML, { type: 'image/png', name: 'cute.png' });
  assert.equal(r.status, 415);
  assert.equal(r.json.error.code, 'unsupported_media_type');
  const zip = await upload(v, Buffer.from('PK\x03\x04rest-of-a-zip', 'latin1'), { type: 'application/zip', name: 'a.zip' });
  assert.equal(zip.status, 415);
  assert.equal(blobCount(), before);
  assert.deepEqual(await history(v), []);
});

test('a file over the web chat limit is 413 and nothing is stored', async () => {
  const v = await visitor();
  const before = blobCount();
  const big = Buffer.concat([PNG, Buffer.alloc(LIMIT, 1)]);
  const r = await upload(v, big);
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'too_large');
  // Far over: refused from its Content-Length, and the client still reads the answer (the
  // server drains the rest instead of resetting the connection).
  const huge = await upload(v, Buffer.concat([PNG, Buffer.alloc(8 << 20, 1)]));
  assert.equal(huge.status, 413);
  assert.equal(huge.json.error.code, 'too_large');
  assert.equal(blobCount(), before);
  assert.deepEqual(await history(v), []);
  // The server is still fine afterwards.
  assert.equal((await upload(v, PNG)).status, 201);
});

test('a missing or forged visitor token is 401 and nothing is stored', async () => {
  const before = blobCount();
  const unique = Buffer.concat([PNG, Buffer.from('never-stored')]);
  const missing = await upload(null, unique);
  assert.equal(missing.status, 401);
  assert.equal(missing.json.error.code, 'invalid_token');
  const v = await visitor();
  const forged = v.slice(0, -4) + (v.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.equal((await upload(forged, unique)).status, 401);
  assert.equal(blobCount(), before);
  const noId = await server.request('POST', '/api/v1/widget/uploads',
    { raw: PNG, headers: { authorization: `Bearer ${v}`, 'content-type': 'image/png' } });
  assert.equal(noId.status, 422);
  assert.equal(noId.json.error.code, 'missing_field');
  const empty = await upload(v, Buffer.alloc(0));
  assert.equal(empty.status, 422);
  assert.equal(empty.json.error.code, 'empty_file');
  assert.equal(blobCount(), before);
});

test('the same client message id twice stores one message', async () => {
  const v = await visitor();
  const first = await upload(v, PDF, { type: 'application/pdf', name: 'invoice.pdf', id: 'upload-1' });
  assert.equal(first.status, 201);
  assert.equal(first.json.text, '[document]');
  assert.equal(first.json.client_message_id, 'upload-1');
  const again = await upload(v, PDF, { type: 'application/pdf', name: 'invoice.pdf', id: 'upload-1' });
  assert.equal(again.status, 200);
  assert.equal(again.json.id, first.json.id);
  const items = await history(v);
  assert.equal(items.length, 1);
  assert.equal(items[0].client_message_id, 'upload-1');
});

test('a visitor sending file after file is slowed down with 429 and Retry-After; others are not', async () => {
  const v = await visitor();
  for (let i = 0; i < 20; i++) {
    const r = await upload(v, PNG);
    assert.equal(r.status, 201, `upload ${i + 1} of 20`);
  }
  const refused = await upload(v, PNG);
  assert.equal(refused.status, 429);
  assert.equal(refused.json.error.code, 'rate_limited');
  assert.ok(Number(refused.headers.get('retry-after')) >= 1, 'says when to try again');
  assert.equal((await history(v)).length, 20, 'the refused file left no message');
  assert.equal((await upload(await visitor(), PNG)).status, 201, 'another visitor is not limited');
});

test('the preflight allows the upload headers', async () => {
  const r = await server.request('OPTIONS', '/api/v1/widget/uploads');
  assert.equal(r.status, 204);
  assert.match(r.headers.get('access-control-allow-headers'), /X-Filename/);
  assert.match(r.headers.get('access-control-allow-headers'), /Authorization/);
});

test('an agent replies with a PDF: the visitor gets it live and only they can open it', async () => {
  const v = await visitor();
  const first = await upload(v, PNG, { caption: 'Hier das Foto' });
  const conversationId = first.json.conversation_id;
  const live = await openSocket(`${server.wsBase}/api/v1/widget/ws?token=${encodeURIComponent(v)}`);

  const r = await server.request('POST', `/api/v1/conversations/${conversationId}/attachments`, {
    raw: PDF, token,
    headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Rücksendeschein.pdf'),
               'x-caption': encodeURIComponent('Ihr Rücksendeschein'), 'x-client-message-id': 'agent-pdf-1' },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.direction, 'out');
  assert.equal(r.json.text, 'Ihr Rücksendeschein');
  assert.equal(r.json.attachments[0].content_type, 'application/pdf');
  assert.equal(r.json.attachments[0].name, 'Rücksendeschein.pdf');

  const frame = await live.next((f) => f.type === 'message' && f.message.id === r.json.id);
  live.close();
  const file = frame.message.attachments[0];
  assert.equal(file.content_type, 'application/pdf');
  const got = await getRaw(file.url);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(got.body, PDF);

  const again = await server.request('POST', `/api/v1/conversations/${conversationId}/attachments`, {
    raw: PDF, token, headers: { 'content-type': 'application/pdf', 'x-client-message-id': 'agent-pdf-1' },
  });
  assert.equal(again.status, 200);
  assert.equal(again.json.id, r.json.id);

  const other = await visitor();
  assert.equal((await getRaw(`/api/v1/widget/attachments/${file.id}?token=${encodeURIComponent(other)}`)).status, 404);

  const html = await server.request('POST', `/api/v1/conversations/${conversationId}/attachments`, {
    raw: HTML, token, headers: { 'content-type': 'application/pdf' },
  });
  assert.equal(html.status, 415);
  const unauthenticated = await server.request('POST', `/api/v1/conversations/${conversationId}/attachments`,
    { raw: PDF, headers: { 'content-type': 'application/pdf' } });
  assert.equal(unauthenticated.status, 401);
});

test('when the message cannot be written, the file is not kept either', async () => {
  const v = await visitor();
  const db = join(dir, 'meridian.db');
  const sql = (s) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', db, s]);
  sql("CREATE TRIGGER refuse_attachments BEFORE INSERT ON attachments BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;");
  try {
    const before = blobCount();
    const unique = Buffer.concat([PNG, Buffer.from('written-then-rolled-back')]);
    const r = await upload(v, unique);
    // The trigger's RAISE(ABORT) is a constraint failure to SQLite (409); a full disk would be 5xx.
    assert.ok(r.status >= 400, `status ${r.status}`);
    assert.equal(r.json.error.code !== undefined, true);
    assert.equal(blobCount(), before);
    assert.deepEqual(await history(v), []);
  } finally {
    sql('DROP TRIGGER refuse_attachments;');
  }
  const ok = await upload(v, Buffer.concat([PNG, Buffer.from('written-then-rolled-back')]));
  assert.equal(ok.status, 201);
  assert.equal((await history(v)).length, 1);
});
