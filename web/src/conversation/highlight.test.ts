import { describe, expect, it } from 'vitest';
import { highlight } from './highlight';

describe('highlight', () => {
  it('maps UTF-8 byte spans onto the text, whatever the script before them', () => {
    // "Größe" is 7 bytes, "注文" 6 bytes, the emoji 4 bytes (2 UTF-16 units).
    const text = 'Größe 注文 🙂 #4711 ok';
    const start = new TextEncoder().encode('Größe 注文 🙂 ').length;
    const runs = highlight(text, [{ start, end: start + 5, type: 'order_number' }]);
    expect(runs).toEqual([
      { text: 'Größe 注文 🙂 ' },
      { text: '#4711', type: 'order_number' },
      { text: ' ok' },
    ]);
  });

  it('keeps the whole text when spans are out of range, overlapping or split a character', () => {
    const text = 'Straße 12';
    const runs = highlight(text, [
      { start: 0, end: 99, type: 'x' },
      { start: 4, end: 5, type: 'y' }, // inside the two bytes of ß
      { start: 8, end: 10, type: 'amount' },
      { start: 9, end: 10, type: 'overlap' },
    ]);
    expect(runs.map((r) => r.text).join('')).toBe(text);
    expect(runs.filter((r) => r.type)).toEqual([{ text: '12', type: 'amount' }]);
  });

  it('returns the text as one run without spans', () => {
    expect(highlight('hello', [])).toEqual([{ text: 'hello' }]);
  });
});
