// Helpers for the provider channel tests: a scripted stub of a provider's HTTP API, signatures
// the way each provider computes them, and conversation lookups.
import { stubServer } from './harness.mjs';
import { createHmac } from 'node:crypto';

// A local provider API (harness stubServer): records requests, answers from a script.
export const providerStub = stubServer;

export const metaSignature = (secret, body) =>
  'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
export const lineSignature = (secret, body) =>
  createHmac('sha256', secret).update(body).digest('base64');
// Twilio: Base64 HMAC-SHA1 of the full URL followed by each POST parameter name and value,
// sorted by name.
export function twilioSignature(token, url, params) {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', token).update(data).digest('base64');
}

// The parts of a recorded multipart/form-data request, by name: { filename, type, data: Buffer }.
export function formParts(entry) {
  const boundary = /boundary=([^;]+)/.exec(entry.headers['content-type'] ?? '')?.[1];
  if (!boundary) throw new Error('not multipart: ' + entry.headers['content-type']);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = {};
  let at = entry.raw.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (entry.raw.subarray(start, start + 2).toString() === '--') break;
    const next = entry.raw.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), start);
    if (next < 0) break;
    const part = entry.raw.subarray(start + 2, next);
    const blank = part.indexOf('\r\n\r\n');
    const head = part.subarray(0, blank).toString('utf8');
    const name = /name="([^"]*)"/.exec(head)?.[1];
    parts[name] = { filename: /filename="([^"]*)"/.exec(head)?.[1], type: /Content-Type: (.*)/i.exec(head)?.[1]?.trim(),
                    data: part.subarray(blank + 4) };
    at = next + 2;
  }
  return parts;
}

export async function conversationOf(server, token, contactName) {
  const list = await server.request('GET', '/api/v1/conversations?status=all&limit=200', { token });
  return list.json.items.find((c) => c.contact.name === contactName);
}

export async function messagesOf(server, token, contactName) {
  const conv = await conversationOf(server, token, contactName);
  if (!conv) return [];
  const msgs = await server.request('GET', `/api/v1/conversations/${conv.id}/messages`, { token });
  return msgs.json.items;
}

export async function messageById(server, token, conversationId, messageId) {
  const msgs = await server.request('GET', `/api/v1/conversations/${conversationId}/messages`, { token });
  return msgs.json.items.find((m) => m.id === messageId);
}

// An agent reply through a provider stub: 429 with Retry-After 1 s, then 500, then `okBody`;
// returns the three requests (the last one is the delivered one) once the message is `sent`.
// Then a permanent 400: the next reply becomes a dead letter, tried once.
export async function exerciseOutbox({ server, token, stub, convId, okBody, badBody = {} }) {
  const { until } = await import('./harness.mjs');
  const assert = (await import('node:assert/strict')).default;
  stub.received.length = 0;
  stub.setScript([
    { status: 429, headers: { 'retry-after': '1' }, body: {} },
    { status: 500, body: {} },
    { status: 200, body: okBody },
  ]);
  const sent = await server.request('POST', `/api/v1/conversations/${convId}/messages`, { token, body: { text: 'Your parcel ships today.' } });
  assert.equal(sent.status, 201, sent.text);
  await until(() => stub.received.length >= 3, { timeout: 15000 });
  const reqs = stub.received.slice(0, 3);
  assert.ok(reqs[1].at - reqs[0].at >= 900, `Retry-After honoured (waited ${reqs[1].at - reqs[0].at} ms)`);
  assert.equal(reqs[1].body, reqs[0].body, 'a retry sends the same request');
  await until(async () => (await messageById(server, token, convId, sent.json.id)).status === 'sent');

  stub.setScript([{ status: 400, body: badBody }]);
  const bad = await server.request('POST', `/api/v1/conversations/${convId}/messages`, { token, body: { text: 'To nowhere' } });
  await until(async () => (await messageById(server, token, convId, bad.json.id)).status === 'failed');
  const letters = await server.request('GET', '/api/v1/dead-letters', { token });
  const letter = letters.json.items.find((l) => l.message_id === bad.json.id);
  assert.ok(letter, 'visible as a dead letter');
  assert.equal(letter.attempts, 1, 'a permanent error is not retried');
  return { requests: reqs, messageId: sent.json.id };
}
