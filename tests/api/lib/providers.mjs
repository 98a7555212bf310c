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
