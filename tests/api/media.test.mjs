// Provider media (CH9): WhatsApp (media id -> URL -> bytes, both with the bearer token),
// Telegram (getFile -> file path) and LINE (message content) downloaded after the webhook was
// answered, stored content-addressed and served through GET /api/v1/attachments/{id} with the
// type sniffed from the bytes; an oversize file is described but not stored, and its download is
// cut off at the limit (declared or counted) instead of read to the end; a provider that keeps
// failing is retried (honouring Retry-After), then the failure is recorded for agents; a
// permanent answer (404) is recorded at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { metaSignature, lineSignature, twilioSignature, messagesOf } from './lib/providers.mjs';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.alloc(64, 3)]);
const PDF = Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
const BIG = Buffer.concat([PDF, Buffer.alloc(150_000, 0x20)]);
const WA_TOKEN = 'EAAG-media-token';
const APP_SECRET = 'wa-media-secret';
const PNID = '106540352242922';
const LINE_SECRET = 'line-media-secret';

let server, dir, token, media, wa, tg, line, sms, base;
const hits = [];
let gate = null;  // when set, the WhatsApp download waits for it
// Streams sent by the stub for the cut-off tests: bytes handed to the socket, and whether the
// client closed the connection before the stub finished.
const streams = {};
let rateLimited = 0;

// Writes `total` bytes of `chunk`s (respecting backpressure) until done or the client hangs up.
async function stream(res, name, total) {
  const s = streams[name] = { sent: 0, closedEarly: false, done: null };
  s.done = new Promise((resolve) => res.on('close', () => { s.closedEarly = s.sent < total; resolve(); }));
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  while (s.sent < total && !res.destroyed) {
    const more = res.write(chunk);
    s.sent += chunk.length;
    if (!more) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
  }
  if (!res.destroyed) res.end();
}

function sha256hex(buf) {
  return import('node:crypto').then((c) => c.createHash('sha256').update(buf).digest('hex'));
}

before(async () => {
  const pngSha = await sha256hex(PNG);
  media = http.createServer(async (req, res) => {
    hits.push({ url: req.url, auth: req.headers.authorization ?? '' });
    const send = (status, body, type = 'application/octet-stream') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const url = new URL(req.url, 'http://stub');
    const bearer = req.headers.authorization === `Bearer ${WA_TOKEN}`;
    if (url.pathname === '/v21.0/wamid-img-1') {
      if (!bearer) return send(401, '{"error":{"code":190}}', 'application/json');
      return send(200, JSON.stringify({ messaging_product: 'whatsapp', url: `http://${req.headers.host}/wa-cdn/img-1?hash=x`,
        mime_type: 'image/jpeg', sha256: pngSha, file_size: PNG.length, id: 'wamid-img-1' }), 'application/json');
    }
    if (url.pathname === '/wa-cdn/img-1') {
      if (!bearer) return send(401, 'no token');
      if (gate) await gate;
      return send(200, PNG, 'image/jpeg');  // the claim is wrong: the bytes are a PNG
    }
    if (url.pathname === '/v21.0/wamid-huge') {
      return send(200, JSON.stringify({ url: `http://${req.headers.host}/wa-cdn/huge`, mime_type: 'video/mp4',
        sha256: '00', file_size: '50000000', id: 'wamid-huge' }), 'application/json');
    }
    if (url.pathname === '/v21.0/wamid-gone') return send(404, '{"error":{"code":100}}', 'application/json');
    if (url.pathname === '/bot123:TG/getFile') {
      let body = '';
      for await (const c of req) body += c;
      const fileId = JSON.parse(body).file_id;
      if (fileId !== 'AgACAgQ-photo') return send(400, '{"ok":false}', 'application/json');
      return send(200, JSON.stringify({ ok: true, result: { file_id: fileId, file_unique_id: 'u1', file_size: JPEG.length,
        file_path: 'photos/file_7.jpg' } }), 'application/json');
    }
    if (url.pathname === '/file/bot123:TG/photos/file_7.jpg') return send(200, JPEG);
    if (url.pathname === '/v2/bot/message/line-pdf/content') {
      if (req.headers.authorization !== 'Bearer line-token') return send(401, '{}');
      return send(200, PDF);
    }
    if (url.pathname === '/v2/bot/message/line-big/content') return send(200, BIG);
    if (url.pathname === '/v2/bot/message/line-500/content') return send(500, '{}');
    if (url.pathname === '/v2/bot/message/line-429/content') {
      if (rateLimited++ === 0) {
        res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
        return res.end('{"message":"Too many requests"}');
      }
      return send(200, PDF);
    }
    if (url.pathname === '/v2/bot/message/line-endless/content') {
      // No Content-Length (chunked): only counting the bytes can stop it.
      res.writeHead(200, { 'content-type': 'application/pdf' });
      return stream(res, 'endless', 200 * 1024 * 1024);
    }
    if (url.pathname === '/2010-04-01/Accounts/AC42/Messages/MM2/Media/ME2') {
      // A declared length over the limit: refused before the body is read.
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(50_000_000) });
      return stream(res, 'declared', 50_000_000);
    }
    if (url.pathname === '/2010-04-01/Accounts/AC42/Messages/MM1/Media/ME1') {
      const basic = 'Basic ' + Buffer.from('AC42:tw-auth').toString('base64');
      if (req.headers.authorization !== basic) return send(401, '{}');
      // As Twilio does with media auth on: a redirect to a short-lived CDN URL.
      res.writeHead(307, { location: `http://${req.headers.host}/twilio-cdn/ME1?Expires=4h` });
      return res.end();
    }
    if (url.pathname === '/twilio-cdn/ME1') return send(200, JPEG, 'image/jpeg');
    send(404, '{}');
  });
  await new Promise((r) => media.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${media.address().port}`;
  dir = tempDir();
  wa = JSON.parse(cli(['inbox', 'create', 'whatsapp', '--name', 'WA', '--phone-number-id', PNID, '--access-token', WA_TOKEN,
    '--app-secret', APP_SECRET, '--verify-token', 'v', '--api-base', base + '/v21.0', '--json'], { data: dir }));
  tg = JSON.parse(cli(['inbox', 'create', 'telegram', '--name', 'TG', '--bot-token', '123:TG', '--secret-token', 'tgsecret',
    '--api-base', base, '--json'], { data: dir }));
  line = JSON.parse(cli(['inbox', 'create', 'line', '--name', 'LINE', '--channel-secret', LINE_SECRET,
    '--channel-access-token', 'line-token', '--api-base', base, '--json'], { data: dir }));
  sms = JSON.parse(cli(['inbox', 'create', 'twilio', '--name', 'SMS', '--account-sid', 'AC42', '--auth-token', 'tw-auth',
    '--from', '+14155550100', '--api-base', base, '--json'], { data: dir }));
  server = await new Server(dir, ['--demo', '--media-base-delay-ms', '50', '--media-attempts', '3',
    '--media-max-bytes', '100000']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await new Promise((r) => media.close(r)); cleanup(dir); });

function waMedia(id, mediaId, name, type = 'image') {
  const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PNID },
    contacts: [{ profile: { name }, wa_id: '16315551181' }],
    messages: [{ from: '16315551181', id, timestamp: String(Math.floor(Date.now() / 1000)), type,
      [type]: { id: mediaId, mime_type: 'image/jpeg', sha256: 'x' } }] } }] }] });
  return server.request('POST', `/webhooks/whatsapp/${wa.id}`, { raw: body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(APP_SECRET, body) } });
}
function lineFile(id, name) {
  const body = JSON.stringify({ destination: 'U0', events: [{ type: 'message', mode: 'active', timestamp: Date.now(),
    source: { type: 'user', userId: `U-${name}` }, webhookEventId: `ev-${id}`, deliveryContext: { isRedelivery: false },
    message: { id, type: 'file', fileName: 'invoice.pdf', fileSize: 10 } }] });
  return server.request('POST', `/webhooks/line/${line.id}`, { raw: body,
    headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(LINE_SECRET, body) } });
}
// The first attachment of the message whose provider media id is `mediaId`, once in `state`.
async function attachmentOf(mediaId, state) {
  const match = (m) => m.meta?.media_id === mediaId || m.meta?.media_url === mediaId;
  return until(async () => {
    const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
    for (const c of list.json.items) {
      const msgs = await server.request('GET', `/api/v1/conversations/${c.id}/messages`, { token });
      for (const m of msgs.json.items) {
        const a = (m.attachments ?? [])[0];
        if (a && match(m) && (!state || a.download === state)) return a;
      }
    }
    return null;
  }, { timeout: 20000 });
}
async function download(a, withToken = true) {
  const res = await fetch(server.base + a.url, { headers: withToken ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

test('WhatsApp media: webhook answered before the download; two-step fetch with the bearer token; sniffed type', async () => {
  let release;
  gate = new Promise((r) => { release = r; });
  const res = await waMedia('wamid.M1', 'wamid-img-1', 'Ana Photo');
  assert.equal(res.status, 200, 'acknowledged while the download is still held by the provider');
  await until(() => hits.some((h) => h.url.startsWith('/wa-cdn/img-1')));
  const pending = await attachmentOf('wamid-img-1', 'pending');
  assert.equal(pending.url, null, 'nothing to fetch yet');
  release();
  gate = null;
  const a = await attachmentOf('wamid-img-1', 'stored');
  assert.equal(a.id, pending.id);
  const info = hits.find((h) => h.url.startsWith('/v21.0/wamid-img-1'));
  assert.equal(info.auth, `Bearer ${WA_TOKEN}`);
  assert.match(info.url, new RegExp(`phone_number_id=${PNID}`));
  assert.equal(hits.find((h) => h.url.startsWith('/wa-cdn/img-1')).auth, `Bearer ${WA_TOKEN}`);
  assert.equal(a.content_type, 'image/png', 'sniffed from the bytes, not the claimed image/jpeg');
  assert.equal(a.size, PNG.length);
  const got = await download(a);
  assert.equal(got.status, 200);
  assert.match(got.type, /image\/png/);
  assert.deepEqual(got.bytes, PNG);
  assert.equal((await download(a, false)).status, 401, 'agents only');
});

test('Telegram photo: getFile then the file path', async () => {
  const body = JSON.stringify({ update_id: 5001, message: { message_id: 9, date: Math.floor(Date.now() / 1000),
    chat: { id: 77, type: 'private' }, from: { id: 77, first_name: 'Tele', last_name: 'Photo' },
    photo: [{ file_id: 'small', file_unique_id: 's', width: 90, height: 90 },
            { file_id: 'AgACAgQ-photo', file_unique_id: 'b', width: 800, height: 800, file_size: JPEG.length }] } });
  const res = await server.request('POST', `/webhooks/telegram/${tg.id}`, { raw: body,
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'tgsecret' } });
  assert.equal(res.status, 200);
  const a = await attachmentOf('AgACAgQ-photo', 'stored');
  const msgs = await messagesOf(server, token, 'Tele Photo');
  assert.equal(a.content_type, 'image/jpeg');
  const got = await download(a);
  assert.deepEqual(got.bytes, JPEG);
  assert.ok(!JSON.stringify(msgs).includes('123:TG'), 'the bot token never reaches agents');
});

test('LINE file: message content with the channel token; oversize described, not stored', async () => {
  assert.equal((await lineFile('line-pdf', 'pdf')).status, 200);
  const ok = await attachmentOf('line-pdf', 'stored');
  assert.equal(ok.content_type, 'application/pdf');
  assert.deepEqual((await download(ok)).bytes, PDF);

  assert.equal((await lineFile('line-big', 'big')).status, 200);
  const big = await attachmentOf('line-big', 'failed');
  // Sent chunked (no Content-Length): cut off once past the limit, so only a lower bound is known.
  assert.ok(big.size > 100_000 && big.size <= BIG.length, `described as over the limit (${big.size})`);
  assert.equal(big.url, null);
  assert.match(big.error, /limit of 100000 bytes/);
  const refused = await server.request('GET', `/api/v1/attachments/${big.id}`, { token });
  assert.equal(refused.status, 404);
  assert.equal(refused.json.error.code, 'not_stored');
});

test('WhatsApp media declared over the limit is never downloaded', async () => {
  assert.equal((await waMedia('wamid.M2', 'wamid-huge', 'Ana Photo', 'video')).status, 200);
  const a = await attachmentOf('wamid-huge', 'failed');
  assert.equal(a.size, 50_000_000);
  assert.match(a.error, /limit/);
  assert.ok(!hits.some((h) => h.url.startsWith('/wa-cdn/huge')), 'the body was not fetched');
});

test('a provider answering 404 is not asked again; 500 is retried, then the failure is recorded', async () => {
  assert.equal((await waMedia('wamid.M3', 'wamid-gone', 'Ana Photo')).status, 200);
  assert.equal((await lineFile('line-500', 'broken')).status, 200);
  const gone = await attachmentOf('wamid-gone', 'failed');
  assert.match(gone.error, /HTTP 404.*not retried/);
  const broken = await attachmentOf('line-500', 'failed');
  assert.match(broken.error, /after 3 attempts: .*HTTP 500/);
  assert.equal(hits.filter((h) => h.url.includes('line-500')).length, 3);
  assert.equal(hits.filter((h) => h.url.startsWith('/v21.0/wamid-gone')).length, 1, 'a permanent 404: exactly one attempt');
});

test('429 with Retry-After is retried and then stored', async () => {
  assert.equal((await lineFile('line-429', 'throttled')).status, 200);
  const a = await attachmentOf('line-429', 'stored');
  assert.equal(a.content_type, 'application/pdf');
  assert.equal(hits.filter((h) => h.url.includes('line-429')).length, 2);
});

test('an endless body is cut off at the limit, not read to its end', async () => {
  assert.equal((await lineFile('line-endless', 'endless')).status, 200);
  const a = await attachmentOf('line-endless', 'failed');
  assert.match(a.error, /limit of 100000 bytes/);
  assert.equal(a.url, null);
  await streams.endless.done;
  assert.ok(streams.endless.closedEarly, 'Meridian hung up before the stub was done');
  // 200 MB offered; what was handed to the socket is the limit plus socket buffers.
  assert.ok(streams.endless.sent < 32 * 1024 * 1024, `sent ${streams.endless.sent} bytes`);
  assert.ok(a.size > 100_000, 'described as over the limit');
});

test('a declared Content-Length over the limit stops the download before the body', async () => {
  const mediaUrl = `${base}/2010-04-01/Accounts/AC42/Messages/MM2/Media/ME2`;
  const params = { MessageSid: 'MM2', AccountSid: 'AC42', From: '+4915112345679', To: '+14155550100', Body: '',
    NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'video/mp4' };
  const path = `/webhooks/twilio/${sms.id}`;
  const res = await server.request('POST', path, { raw: new URLSearchParams(params).toString(), headers: {
    'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('tw-auth', server.base + path, params) } });
  assert.equal(res.status, 200);
  const a = await attachmentOf(mediaUrl, 'failed');
  assert.equal(a.size, 50_000_000, 'described with the declared size');
  assert.match(a.error, /limit of 100000 bytes/);
  await streams.declared.done;
  assert.ok(streams.declared.closedEarly);
  assert.ok(streams.declared.sent < 32 * 1024 * 1024, `sent ${streams.declared.sent} bytes`);
});

test('Twilio MMS: MediaUrl0 fetched with basic auth (account SID and auth token), redirect followed', async () => {
  const mediaUrl = `${base}/2010-04-01/Accounts/AC42/Messages/MM1/Media/ME1`;
  const params = { MessageSid: 'MM1', AccountSid: 'AC42', From: '+4915112345678', To: '+14155550100', Body: '',
    NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/jpeg' };
  const path = `/webhooks/twilio/${sms.id}`;
  const res = await server.request('POST', path, { raw: new URLSearchParams(params).toString(), headers: {
    'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature('tw-auth', server.base + path, params) } });
  assert.equal(res.status, 200);
  const a = await attachmentOf(mediaUrl, 'stored');
  assert.ok(hits.some((h) => h.url.startsWith('/twilio-cdn/ME1')), 'the redirect was followed');
  assert.equal(a.content_type, 'image/jpeg');
  assert.deepEqual((await download(a)).bytes, JPEG);
});
