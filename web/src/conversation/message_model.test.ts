import { describe, expect, it } from 'vitest';
import type { Message } from '../api/types';
import { conversationFromPath } from '../app/Workspace';
import { confirmLocal, mergeMessages, type ViewMessage } from './message_model';

function msg(id: number, minute: number, text = `m${id}`): Message {
  return {
    id,
    conversation_id: 1,
    direction: 'in',
    sender_kind: 'customer',
    sender: null,
    text,
    content_type: 'text',
    status: 'received',
    client_message_id: null,
    created_at: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
  };
}

describe('message history', () => {
  it('merges an older page before the newer one and keeps each message once', () => {
    const newest = mergeMessages([], [msg(3, 3), msg(4, 4)]);
    const all = mergeMessages(newest, [msg(1, 1), msg(2, 2), msg(3, 3)]);
    expect(all.map((m) => m.id)).toEqual([1, 2, 3, 4]);
  });

  it('applies a status update to the message it names', () => {
    const list = mergeMessages([], [msg(1, 1)]);
    const updated = mergeMessages(list, [{ ...msg(1, 1), status: 'read' }]);
    expect(updated).toHaveLength(1);
    expect(updated[0].status).toBe('read');
  });

  it('keeps unconfirmed replies last and swaps them for the server copy once', () => {
    const local: ViewMessage = { ...msg(Number.MAX_SAFE_INTEGER, 9, 'hi'), localId: 'l1', status: 'pending' };
    let list: ViewMessage[] = [...mergeMessages([], [msg(1, 1)]), local];
    // The socket echo can arrive before the POST answers: both paths end with one copy.
    list = mergeMessages(list, [msg(5, 5, 'hi')]);
    expect(list.map((m) => m.localId ?? m.id)).toEqual([1, 5, 'l1']);
    list = confirmLocal(list, 'l1', msg(5, 5, 'hi'));
    expect(list.map((m) => m.id)).toEqual([1, 5]);
  });

  it('never lets a late POST answer undo a failure the live feed already told', () => {
    const local: ViewMessage = { ...msg(Number.MAX_SAFE_INTEGER, 9, 'hi'), localId: 'l1', status: 'pending' };
    let list: ViewMessage[] = [local];
    const pending: Message = { ...msg(5, 5, 'hi'), direction: 'out', status: 'pending' };
    list = mergeMessages(list, [pending]); // message.created
    list = mergeMessages(list, [{ ...pending, status: 'failed', error: '(#131030) not allowed' }]); // message.updated
    list = confirmLocal(list, 'l1', pending); // the POST's answer, written before the failure
    expect(list).toHaveLength(1);
    expect(list[0].status).toBe('failed');
    expect(list[0].error).toBe('(#131030) not allowed');
  });
});

describe('workspace URL', () => {
  it('reads the open conversation from the path', () => {
    expect(conversationFromPath('/conversations/42')).toBe(42);
    expect(conversationFromPath('/conversations/42/')).toBe(42);
    expect(conversationFromPath('/')).toBe(null);
    expect(conversationFromPath('/conversations/x')).toBe(null);
  });
});

describe('a retried dead letter', () => {
  it('loses its error and dead letter id when the newer copy has none', () => {
    const failed = { ...msg(7, 1), direction: 'out' as const, status: 'failed' as const, error: '131030 not allowed', dead_letter_id: 3 };
    const list = mergeMessages([], [failed]);
    const retried = mergeMessages(list, [{ ...msg(7, 1), direction: 'out', status: 'pending' }]);
    expect(retried[0].status).toBe('pending');
    expect(retried[0].error).toBeUndefined();
    expect(retried[0].dead_letter_id).toBeUndefined();
  });
});
