import { describe, expect, it } from 'vitest';
import type { Conversation } from '../api/types';
import { appendPage, applyUpdate, compareConversations, matchesFilter, stepSelection } from './list_model';
import { scrollToReveal, visibleRange } from './virtual';

function conv(id: number, minutesAgo: number, unread = 0, extra: Partial<Conversation> = {}): Conversation {
  const at = new Date(Date.UTC(2026, 0, 1, 12, 0) - minutesAgo * 60_000).toISOString();
  return {
    id,
    status: 'open',
    inbox: { id: 1, name: 'Web', channel: 'webchat' },
    contact: { id: id * 10, name: `Contact ${id}` },
    assignee: null,
    unread_count: unread,
    last_message: null,
    last_activity_at: at,
    created_at: at,
    ...extra,
  };
}

const anyOpen = { status: 'open' as const, assignee: 'any' as const };

describe('conversation list', () => {
  it('orders unread first, then most recent activity', () => {
    const list = [conv(1, 1), conv(2, 50, 3), conv(3, 5), conv(4, 60, 1)].sort(compareConversations);
    expect(list.map((c) => c.id)).toEqual([2, 4, 1, 3]);
  });

  it('matches the Mine / Unassigned / All and status filters', () => {
    const mine = conv(1, 1, 0, { assignee: { id: 7, name: 'Me' } });
    const none = conv(2, 1);
    const resolved = conv(3, 1, 0, { status: 'resolved' });
    expect(matchesFilter(mine, { status: 'open', assignee: 'me' }, 7)).toBe(true);
    expect(matchesFilter(none, { status: 'open', assignee: 'me' }, 7)).toBe(false);
    expect(matchesFilter(none, { status: 'open', assignee: 'none' }, 7)).toBe(true);
    expect(matchesFilter(mine, { status: 'open', assignee: 'none' }, 7)).toBe(false);
    expect(matchesFilter(resolved, anyOpen, 7)).toBe(false);
    expect(matchesFilter(resolved, { status: 'all', assignee: 'any' }, 7)).toBe(true);
  });

  it('puts a live conversation at its place and moves an updated one', () => {
    let list = [conv(1, 1), conv(2, 10)];
    list = applyUpdate(list, conv(3, 0, 1), anyOpen, 7, true);
    expect(list.map((c) => c.id)).toEqual([3, 1, 2]);
    list = applyUpdate(list, conv(2, -1, 2), anyOpen, 7, true);
    expect(list.map((c) => c.id)).toEqual([2, 3, 1]);
    // New activity without unread (the agent's own reply) re-sorts by time.
    list = applyUpdate(list, conv(2, 20, 0), anyOpen, 7, true);
    expect(list.map((c) => c.id)).toEqual([3, 1, 2]);
  });

  it('keeps a conversation in place when it is only read or assigned (j/k stays predictable)', () => {
    let list = [conv(1, 1, 2), conv(2, 5, 1), conv(3, 0)];
    list = applyUpdate(list, conv(1, 1, 0), anyOpen, 7, true);
    expect(list.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(list[0].unread_count).toBe(0);
    list = applyUpdate(list, conv(2, 5, 1, { assignee: { id: 7, name: 'Me' } }), anyOpen, 7, true);
    expect(list.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(list[1].assignee?.id).toBe(7);
  });

  it('drops a conversation that leaves the filter, and leaves far ones to paging', () => {
    let list = [conv(1, 1), conv(2, 10)];
    list = applyUpdate(list, conv(1, 0, 0, { status: 'resolved' }), anyOpen, 7, true);
    expect(list.map((c) => c.id)).toEqual([2]);
    const unchanged = applyUpdate(list, conv(9, 500), anyOpen, 7, false);
    expect(unchanged).toBe(list);
    expect(applyUpdate(list, conv(9, 500), anyOpen, 7, true).map((c) => c.id)).toEqual([2, 9]);
  });

  it('keeps a conversation once when pages overlap', () => {
    const list = appendPage([conv(1, 1), conv(2, 2)], [conv(2, 2), conv(3, 3)]);
    expect(list.map((c) => c.id)).toEqual([1, 2, 3]);
  });

  it('steps the selection with j/k and clamps at the ends', () => {
    const list = [conv(1, 1), conv(2, 2), conv(3, 3)];
    expect(stepSelection(list, null, 1)).toBe(1);
    expect(stepSelection(list, 1, 1)).toBe(2);
    expect(stepSelection(list, 3, 1)).toBe(3);
    expect(stepSelection(list, 1, -1)).toBe(1);
    expect(stepSelection([], null, 1)).toBe(null);
  });
});

describe('virtual list window', () => {
  it('renders only the rows in view plus overscan, even for 100k rows', () => {
    const r = visibleRange(68 * 50_000, 680, 68, 100_000, 5);
    expect(r.start).toBe(49_995);
    expect(r.end).toBe(50_016);
    expect(r.end - r.start).toBeLessThan(30);
    expect(visibleRange(0, 680, 68, 3)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 680, 68, 0)).toEqual({ start: 0, end: 0 });
  });

  it('scrolls just enough to reveal the active row', () => {
    expect(scrollToReveal(0, 0, 300, 50)).toBe(null);
    expect(scrollToReveal(10, 0, 300, 50)).toBe(250);
    expect(scrollToReveal(2, 400, 300, 50)).toBe(100);
  });
});
