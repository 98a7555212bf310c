// Messenger and Instagram inboxes end to end: GET verification, X-Hub-Signature-256, echoes
// ignored, delivery statuses (also before the message), Send API with messaging_type through a
// stub with 429/500/400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, tempDir, cleanup, cli, until } from './lib/harness.mjs';
import { providerStub, metaSignature, conversationOf, messageById, exerciseOutbox, formParts } from './lib/providers.mjs';

let server, dir, token, stub;
const inboxes = {};
before(async () => {
  dir = tempDir();
  stub = await providerStub([{ status: 200, body: { recipient_id: 'x', message_id: 'm_1' } }]);
  for (const [channel, page] of [['messenger', '1234567890'], ['instagram', '17841400000000000']]) {
    inboxes[channel] = JSON.parse(cli(['inbox', 'create', channel, '--name', channel, '--page-id', page,
      '--page-access-token', `${channel}-page-token`, '--app-secret', `${channel}-app-secret`,
      '--verify-token', `${channel}-verify`, '--api-base', stub.base + '/v21.0', '--json'], { data: dir }));
    inboxes[channel].page = page;
  }
  server = await new Server(dir, ['--demo', '--outbox-base-delay-ms', '100']).start();
  token = await server.login();
});
after(async () => { await server.stop(); await stub.close(); cleanup(dir); });

const object = (channel) => (channel === 'messenger' ? 'page' : 'instagram');
function envelope(channel, messaging) {
  return { object: object(channel), entry: [{ id: inboxes[channel].page, time: Date.now(), messaging }] };
}
function message(channel, sender, mid, text, extra = {}) {
  return envelope(channel, [{ sender: { id: sender }, recipient: { id: inboxes[channel].page }, timestamp: Date.now(),
    message: { mid, text, ...extra } }]);
}
async function post(channel, payload, secret = `${channel}-app-secret`) {
  const body = JSON.stringify(payload);
  const headers = { 'content-type': 'application/json' };
  if (secret) headers['x-hub-signature-256'] = metaSignature(secret, body);
  return server.request('POST', `/webhooks/${channel}/${inboxes[channel].id}`, { raw: body, headers });
}
async function conversationWith(channel) {
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  return list.json.items.find((c) => c.inbox_id === inboxes[channel].id || c.inbox?.id === inboxes[channel].id);
}

for (const channel of ['messenger', 'instagram']) {
  test(`${channel}: GET verification and webhook URL`, async () => {
    assert.equal(inboxes[channel].webhook_url, `/webhooks/${channel}/${inboxes[channel].id}`);
    const ok = await fetch(`${server.base}/webhooks/${channel}/${inboxes[channel].id}?hub.mode=subscribe&hub.verify_token=${channel}-verify&hub.challenge=CHALLENGE_ACCEPTED`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), 'CHALLENGE_ACCEPTED');
    const wrong = await fetch(`${server.base}/webhooks/${channel}/${inboxes[channel].id}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`);
    assert.equal(wrong.status, 403);
  });

  test(`${channel}: a signed message is stored once; echoes ignored; bad signature 401`, async () => {
    const p = message(channel, `${channel}-PSID-1`, `m_${channel}_1`, 'Is the tent waterproof?');
    assert.equal((await post(channel, p)).status, 200);
    assert.equal((await post(channel, p)).json.duplicate, true);
    const echo = envelope(channel, [{ sender: { id: inboxes[channel].page }, recipient: { id: `${channel}-PSID-1` }, timestamp: Date.now(),
      message: { mid: `m_${channel}_echo`, is_echo: true, text: 'our own reply' } }]);
    assert.equal((await post(channel, echo)).status, 200);
    assert.equal((await post(channel, message(channel, 'forger', `m_${channel}_forged`, 'x'), 'wrong-secret')).status, 401);
    assert.equal((await post(channel, message(channel, 'forger', `m_${channel}_forged`, 'x'), null)).status, 401);
    const conv = await conversationWith(channel);
    const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
    assert.deepEqual(msgs.json.items.map((m) => m.text), ['Is the tent waterproof?']);
  });

  test(`${channel}: Send API with RESPONSE inside 24 h; 429/500/400; delivery before message`, async () => {
    const conv = await conversationWith(channel);
    const { requests, messageId } = await exerciseOutbox({ server, token, stub, convId: conv.id,
      okBody: { recipient_id: `${channel}-PSID-1`, message_id: `m_${channel}_out` },
      badBody: { error: { message: '(#100) No matching user found', type: 'OAuthException', code: 100, error_subcode: 2018001 } } });
    assert.equal(requests[2].url, `/v21.0/${inboxes[channel].page}/messages`);
    assert.equal(requests[2].headers.authorization, `Bearer ${channel}-page-token`);
    assert.deepEqual(JSON.parse(requests[2].body), { recipient: { id: `${channel}-PSID-1` }, messaging_type: 'RESPONSE', message: { text: 'Your parcel ships today.' } });
    await post(channel, envelope(channel, [{ sender: { id: `${channel}-PSID-1` }, recipient: { id: inboxes[channel].page },
      delivery: { mids: [`m_${channel}_out`], watermark: Date.now() } }]));
    await until(async () => (await messageById(server, token, conv.id, messageId)).status === 'delivered');

    // Delivery receipt first, then our send's answer with that id.
    await post(channel, envelope(channel, [{ sender: { id: `${channel}-PSID-1` }, recipient: { id: inboxes[channel].page },
      delivery: { mids: [`m_${channel}_early`], watermark: Date.now() } }]));
    stub.setScript([{ status: 200, body: { recipient_id: `${channel}-PSID-1`, message_id: `m_${channel}_early` } }]);
    const sent = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text: 'early bird' } });
    await until(async () => (await messageById(server, token, conv.id, sent.json.id)).status === 'delivered');
  });
}

test('messenger: after 24 h a human agent writes with HUMAN_AGENT; after 7 days 422', async () => {
  const day = 24 * 3600 * 1000;
  const old = (ago) => envelope('messenger', [{ sender: { id: `psid-${ago}` }, recipient: { id: inboxes.messenger.page },
    timestamp: Date.now() - ago, message: { mid: `m_old_${ago}`, text: 'hello?' } }]);
  await post('messenger', old(2 * day));
  await post('messenger', old(8 * day));
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  stub.received.length = 0;
  stub.setScript([{ status: 200, body: { message_id: 'm_tagged' } }]);
  const convs = list.json.items.filter((c) => (c.inbox_id ?? c.inbox?.id) === inboxes.messenger.id);
  const results = [];
  for (const c of convs) results.push([c, await server.request('POST', `/api/v1/conversations/${c.id}/messages`, { token, body: { text: 'Sorry for the wait' } })]);
  const statuses = results.map(([, r]) => r.status).sort();
  assert.deepEqual(statuses, [201, 201, 422], 'recent: RESPONSE, 2 days: HUMAN_AGENT, 8 days: refused');
  const refused = results.find(([, r]) => r.status === 422)[1];
  assert.equal(refused.json.error.code, 'outside_messaging_window');
  assert.ok(refused.json.error.window_closed_at);
  assert.deepEqual(refused.json.error.allowed_templates, []);
  await until(() => stub.received.length >= 2);
  const bodies = stub.received.map((r) => JSON.parse(r.body));
  assert.ok(bodies.some((b) => b.messaging_type === 'MESSAGE_TAG' && b.tag === 'HUMAN_AGENT'), JSON.stringify(bodies));
});

test('messenger: a read watermark marks every earlier message read; delivery never moves it back', async () => {
  const psid = 'psid-watermark';
  await post('messenger', envelope('messenger', [{ sender: { id: psid }, recipient: { id: inboxes.messenger.page },
    timestamp: Date.now(), message: { mid: 'm_wm_in', text: 'Did you get my photos?' } }]));
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  const conv = list.json.items.find((c) => c.inbox.id === inboxes.messenger.id &&
    c.last_message?.text === 'Did you get my photos?');
  assert.ok(conv, 'conversation found');
  const ids = [];
  for (const [i, text] of ['Yes, thank you.', 'We will answer by tonight.'].entries()) {
    stub.setScript([{ status: 200, body: { recipient_id: psid, message_id: `m_wm_out${i}` } }]);
    const r = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text } });
    assert.equal(r.status, 201);
    await until(async () => (await messageById(server, token, conv.id, r.json.id)).status === 'sent');
    ids.push(r.json.id);
  }
  const watermark = Date.now();
  await until(() => Date.now() > watermark + 5, { interval: 5 });
  // A message sent after the watermark stays "sent".
  stub.setScript([{ status: 200, body: { recipient_id: psid, message_id: 'm_wm_after' } }]);
  const later = await server.request('POST', `/api/v1/conversations/${conv.id}/messages`, { token, body: { text: 'One more thing' } });
  await until(async () => (await messageById(server, token, conv.id, later.json.id)).status === 'sent');

  // The official message_reads shape: sender, recipient, timestamp, read.watermark.
  const read = await post('messenger', envelope('messenger', [{ sender: { id: psid }, recipient: { id: inboxes.messenger.page },
    timestamp: watermark + 1, read: { watermark } }]));
  assert.equal(read.status, 200);
  for (const id of ids) await until(async () => (await messageById(server, token, conv.id, id)).status === 'read');
  assert.equal((await messageById(server, token, conv.id, later.json.id)).status, 'sent');
  // A late delivery watermark (no mids) covers the last one too, and never moves the others back.
  await post('messenger', envelope('messenger', [{ sender: { id: psid }, recipient: { id: inboxes.messenger.page },
    delivery: { watermark: Date.now() } }]));
  await until(async () => (await messageById(server, token, conv.id, later.json.id)).status === 'delivered');
  for (const id of ids) assert.equal((await messageById(server, token, conv.id, id)).status, 'read');
  // Another customer's watermark touches nothing of this conversation.
  await post('messenger', envelope('messenger', [{ sender: { id: 'someone-else' }, recipient: { id: inboxes.messenger.page },
    timestamp: Date.now(), read: { watermark: Date.now() } }]));
  assert.equal((await messageById(server, token, conv.id, later.json.id)).status, 'delivered');
});

test('messenger: an agent\'s photo is uploaded with the send; a caption is refused; Instagram takes no files', async () => {
  // A customer writing now: the messaging window is open.
  assert.equal((await post('messenger', message('messenger', 'messenger-PSID-files', 'm_files_1', 'A photo of the tent please'))).status, 200);
  const conv = await until(async () => {
    const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
    return list.json.items.find((c) => c.last_message?.text === 'A photo of the tent please');
  });
  const limits = (await server.request('GET', `/api/v1/conversations/${conv.id}`, { token })).json.uploads;
  assert.equal(limits.captions, false, 'the workspace sends the text on its own');
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
                             Buffer.from('IHDR'), Buffer.alloc(48, 3)]);
  stub.setScript([{ status: 200, body: { recipient_id: 'messenger-PSID-1', message_id: 'm_photo' } }]);
  stub.received.length = 0;
  const r = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: png, token, headers: { 'content-type': 'image/png', 'x-filename': 'tent.png' },
  });
  assert.equal(r.status, 201, r.text);
  await until(async () => (await messageById(server, token, conv.id, r.json.id)).status === 'sent');
  const sent = stub.received.find((x) => x.method === 'POST');
  assert.equal(sent.url, `/v21.0/${inboxes.messenger.page}/messages`);
  const parts = formParts(sent);
  assert.deepEqual(JSON.parse(parts.recipient.data.toString()), { id: 'messenger-PSID-files' });
  assert.deepEqual(JSON.parse(parts.message.data.toString()), { attachment: { type: 'image', payload: { is_reusable: false } } });
  assert.deepEqual(parts.filedata.data, png);
  assert.equal(parts.filedata.filename, 'tent.png');

  const captioned = await server.request('POST', `/api/v1/conversations/${conv.id}/attachments`, {
    raw: png, token, headers: { 'content-type': 'image/png', 'x-caption': encodeURIComponent('Here it is') },
  });
  assert.equal(captioned.status, 422);
  assert.equal(captioned.json.error.code, 'caption_not_supported');
  const ig = await conversationWith('instagram');
  const refused = await server.request('POST', `/api/v1/conversations/${ig.id}/attachments`, {
    raw: png, token, headers: { 'content-type': 'image/png' },
  });
  assert.equal(refused.json.error.code, 'attachments_not_supported');
});
