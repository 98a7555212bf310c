// Merging the message history of one conversation: pages loaded on scroll, live events and
// the agent's own replies (which the server echoes over the socket too) are kept once each.

import type { Message } from '../api/types';

/** A message as the view holds it; `localId` marks a reply not yet confirmed by the server. */
export interface ViewMessage extends Message {
  localId?: string;
  error?: string;
  /** A file being sent: a failure is not retried as text (the agent attaches it again). */
  uploading?: boolean;
}

function byTimeThenId(a: ViewMessage, b: ViewMessage): number {
  if (a.localId && !b.localId) return 1;
  if (b.localId && !a.localId) return -1;
  const ta = Date.parse(a.created_at) || 0;
  const tb = Date.parse(b.created_at) || 0;
  return ta !== tb ? ta - tb : a.id - b.id;
}

/** Adds or replaces server messages (by id), keeping chronological order. */
export function mergeMessages(list: ViewMessage[], incoming: Message[]): ViewMessage[] {
  if (incoming.length === 0) return list;
  const byId = new Map<number, ViewMessage>();
  const local: ViewMessage[] = [];
  for (const m of list) {
    if (m.localId) local.push(m);
    else byId.set(m.id, m);
  }
  // A newer copy replaces what it says; a delivery error or dead letter it no longer carries is
  // gone (after a retry), not kept from the older copy.
  for (const m of incoming) byId.set(m.id, { ...byId.get(m.id), ...m, error: m.error, dead_letter_id: m.dead_letter_id });
  return [...byId.values(), ...local].sort(byTimeThenId);
}

/** Replaces the local placeholder `localId` with the server's message (or drops it if present). */
export function confirmLocal(list: ViewMessage[], localId: string, confirmed: Message): ViewMessage[] {
  const rest = list.filter((m) => m.localId !== localId);
  // The live feed may have brought it first, and its delivery (or failure) after it: that copy
  // is never older than the HTTP answer, so the answer must not send it back to "pending".
  if (rest.some((m) => !m.localId && m.id === confirmed.id)) return rest;
  return mergeMessages(rest, [confirmed]);
}
