import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../src/lib/test_doubles';
import { newClientMessageId, Outbox } from './outbox';
import { pickLocale, STRINGS } from './strings';


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('client_message_id', () => {
  it('uses crypto.randomUUID when there is one', () => {
    expect(newClientMessageId({ randomUUID: () => 'from-crypto' })).toBe('from-crypto');
  });
  it('falls back to getRandomValues, then to Math.random, always a v4 UUID', () => {
    const viaRandomValues = newClientMessageId({
      getRandomValues: (a: Uint8Array) => a.fill(0xab),
    });
    expect(viaRandomValues).toMatch(UUID);
    const viaMath = newClientMessageId(undefined, () => 0.5);
    expect(viaMath).toMatch(UUID);
    const throwing = newClientMessageId({
      randomUUID: () => {
        throw new Error('insecure');
      },
    });
    expect(throwing).toMatch(UUID);
  });
});

describe('Outbox', () => {
  it('keeps messages until acknowledged, in order, across page loads', () => {
    const storage = new MemoryStorage();
    const box = new Outbox(storage, 'k');
    box.add('one', 'id-1');
    box.add('two', 'id-2');
    const again = new Outbox(storage, 'k'); // a reload
    expect(again.pending().map((m) => m.client_message_id)).toEqual(['id-1', 'id-2']);
    expect(again.ack('id-1')).toBe(true);
    expect(again.ack('id-1')).toBe(false); // a duplicate ack changes nothing
    expect(new Outbox(storage, 'k').pending().map((m) => m.text)).toEqual(['two']);
    again.ack('id-2');
    expect(storage.data.has('k')).toBe(false);
  });

  it('survives corrupt or missing storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(new Outbox(storage, 'k').pending()).toEqual([]);
    storage.setItem('k', JSON.stringify([{ text: 1 }, { client_message_id: 'a', text: 'ok', created_at: 'x' }]));
    expect(new Outbox(storage, 'k').pending().map((m) => m.client_message_id)).toEqual(['a']);
    const noStorage = new Outbox(null, 'k');
    noStorage.add('x', 'id');
    expect(noStorage.pending()).toHaveLength(1);
  });
});

describe('widget strings', () => {
  it('every locale has every text', () => {
    const keys = Object.keys(STRINGS.en).sort();
    for (const [locale, table] of Object.entries(STRINGS)) {
      expect(Object.keys(table).sort(), locale).toEqual(keys);
      for (const [k, v] of Object.entries(table)) expect(v.trim(), `${locale}.${k}`).not.toBe('');
    }
  });
  it('picks the first supported language', () => {
    expect(pickLocale([undefined, 'de-AT', 'en'])).toBe('de');
    expect(pickLocale(['zh-Hans-CN'])).toBe('zh-CN');
    expect(pickLocale(['fr', ''])).toBe('en');
  });
});
