import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const top = (n: number) => backoffDelay(n, { baseMs: 500, maxMs: 30_000, random: () => 0.999999 });
    expect(top(0)).toBeLessThanOrEqual(500);
    expect(top(1)).toBeGreaterThan(900);
    expect(top(3)).toBeGreaterThan(3900);
    expect(top(20)).toBe(30_000);
    expect(top(1000)).toBe(30_000);
  });

  it('jitters between a small floor and the cap', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const low = backoffDelay(attempt, { baseMs: 400, random: () => 0 });
      const high = backoffDelay(attempt, { baseMs: 400, random: () => 0.999999 });
      expect(low).toBe(100);
      expect(high).toBeGreaterThanOrEqual(low);
    }
  });
});
