// The conversation list as data: ordering, filter matching and merging of pages and live
// updates. Pure functions, so the rules are unit-tested without a browser.

import type { AssigneeFilter, Conversation, StatusFilter } from '../api/types';

export interface ListFilter {
  status: StatusFilter;
  assignee: AssigneeFilter;
}

/** The server's order (docs/api.md): unread first, then most recent activity first. */
// Parsed last_activity_at per conversation object (objects are replaced, never mutated).
const activityTimes = new WeakMap<Conversation, number>();
function activityTime(c: Conversation): number {
  let t = activityTimes.get(c);
  if (t === undefined) {
    t = Date.parse(c.last_activity_at) || 0;
    activityTimes.set(c, t);
  }
  return t;
}

export function compareConversations(a: Conversation, b: Conversation): number {
  const ua = a.unread_count > 0 ? 1 : 0;
  const ub = b.unread_count > 0 ? 1 : 0;
  if (ua !== ub) return ub - ua;
  const ta = activityTime(a);
  const tb = activityTime(b);
  if (ta !== tb) return tb - ta;
  return b.id - a.id;
}

export function matchesFilter(c: Conversation, filter: ListFilter, meId: number | null): boolean {
  if (filter.status !== 'all' && c.status !== filter.status) return false;
  if (filter.assignee === 'me') return c.assignee !== null && c.assignee.id === meId;
  if (filter.assignee === 'none') return c.assignee === null;
  return true;
}

/** Appends a fetched page; a conversation already present (it moved while paging) is kept once. */
export function appendPage(list: Conversation[], page: Conversation[]): Conversation[] {
  const seen = new Set(list.map((c) => c.id));
  const out = list.slice();
  for (const c of page) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(c);
  }
  return out;
}

/**
 * Applies a live update of one conversation. It is removed when it no longer matches the
 * filter, kept in place when nothing new happened in it (read, assigned), otherwise placed at
 * its sorted position. When more pages exist (`complete` false) a
 * conversation that sorts after the last loaded one is left for paging to bring in.
 */
export function applyUpdate(
  list: Conversation[],
  conversation: Conversation,
  filter: ListFilter,
  meId: number | null,
  complete: boolean,
): Conversation[] {
  // One scan to find the old place, one (usually short) scan for the new one, one copy: cheap
  // even with 100k conversations loaded, since most updates move a conversation to the top.
  const at = list.findIndex((c) => c.id === conversation.id);
  // Reading, assigning or any change without new activity replaces the row where it is: the
  // list must not jump under an agent walking through it with j/k (the next fetch re-sorts).
  if (at >= 0 && matchesFilter(conversation, filter, meId)) {
    const old = list[at];
    if (old.last_activity_at === conversation.last_activity_at && conversation.unread_count <= old.unread_count) {
      const out = list.slice();
      out[at] = conversation;
      return out;
    }
  }
  const out = list.slice();
  if (at >= 0) out.splice(at, 1);
  if (!matchesFilter(conversation, filter, meId)) return at >= 0 ? out : list;
  let index = out.findIndex((c) => compareConversations(conversation, c) < 0);
  if (index < 0) {
    if (!complete) return at >= 0 ? out : list;
    index = out.length;
  }
  out.splice(index, 0, conversation);
  return out;
}

/** Index of the neighbour for keyboard navigation (j = +1, k = -1), clamped to the list. */
export function stepSelection(list: Conversation[], selectedId: number | null, step: number): number | null {
  if (list.length === 0) return null;
  const at = selectedId === null ? -1 : list.findIndex((c) => c.id === selectedId);
  if (at < 0) return list[step > 0 ? 0 : list.length - 1].id;
  const next = Math.max(0, Math.min(list.length - 1, at + step));
  return list[next].id;
}
