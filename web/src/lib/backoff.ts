// Reconnect delays: exponential growth with "full jitter" (a random delay between 0 and the
// exponential cap), so thousands of clients that lost the same server do not come back in
// lock step. Shared by the agent workspace and the chat widget.

export interface BackoffOptions {
  /** Delay cap of the first retry, in ms. */
  baseMs?: number;
  /** Largest delay ever returned, in ms. */
  maxMs?: number;
  /** Source of randomness in [0, 1); tests pass a fixed one. */
  random?: () => number;
}

/** Delay before retry number `attempt` (0-based). Always within [minimum, cap]. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const cap = Math.min(max, base * 2 ** Math.min(attempt, 30));
  // Never retry sooner than a quarter of the base: a tight loop helps nobody.
  const floor = Math.min(cap, base / 4);
  return Math.round(floor + random() * (cap - floor));
}
