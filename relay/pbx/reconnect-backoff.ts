// Reconnect delays: exponential growth with "full jitter" (a uniform pick
// between 0 and the exponential ceiling, AWS architecture blog), so a fleet of
// relays that lost the PBX at the same moment does not return in lockstep.

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay exceeds this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 30_000 };

/** Ceiling for retry number `attempt` (0-based): min(cap, base · 2^attempt). */
export function backoffCeilingMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(0, Math.floor(attempt));
  // 2^n overflows to Infinity for big n; min() with the cap keeps it finite.
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(n, 1024));
}

/** Delay before retry number `attempt`: uniform in [0, ceiling). `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * backoffCeilingMs(attempt, policy));
}
