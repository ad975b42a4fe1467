// Progressive delay with a cap per window, as a pure function of the stored
// state and the time, so the sign-in guard and its tests share one rule.
//
// Every attempt is charged before the password is checked (a burst of
// parallel guesses cannot all pass a check made before the failures were
// counted); a correct password gives the charge back.
import type { ThrottleState } from '../store/sign-in-throttle-repository.js';

export interface ThrottlePolicy {
  /** Attempts allowed back to back before delays start. */
  freeAttempts: number;
  /** Delay after the first attempt beyond the free ones; doubles with each further attempt. */
  baseDelayMs: number;
  /** The delay stops doubling here. */
  maxDelayMs: number;
  /** Attempts per window at most; then none until the window ends. */
  maxAttempts: number;
  windowMs: number;
}

/**
 * attempts: charged (and not given back) since windowStartedAt;
 * nextAllowedAt: no attempt before this time. The store keeps this shape.
 */
export type { ThrottleState } from '../store/sign-in-throttle-repository.js';

export type Admission =
  | { admitted: true; next: ThrottleState }
  | { admitted: false; retryAfterMs: number; next?: undefined };

const HOUR_MS = 3_600_000;

/**
 * Untrusted clients of one account share this budget: 5 attempts at once,
 * then 1 s, 2 s, 4 s … up to 15 min apart, and never more than 100 a day.
 * Ten doublings (~17 min) are followed by 15-minute steps, so the cap and
 * the delays agree on roughly 100 guesses per day.
 */
export const UNTRUSTED_ACCOUNT_POLICY: ThrottlePolicy = {
  freeAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000, maxAttempts: 100, windowMs: 24 * HOUR_MS,
};

/** One browser that signed in before: mistypes cost little, a guessing run is stopped on that device only. */
export const DEVICE_POLICY: ThrottlePolicy = {
  freeAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, maxAttempts: 20, windowMs: HOUR_MS,
};

export function delayAfter(attempts: number, policy: ThrottlePolicy): number {
  if (attempts < policy.freeAttempts) return 0;
  const doublings = attempts - policy.freeAttempts;
  // 2^31 ms is past any cap; stop shifting before the number overflows.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(doublings, 31));
}

/** Charges one attempt at `now`, or says how long to wait. */
export function admit(state: ThrottleState | null, now: number, policy: ThrottlePolicy): Admission {
  const current = state && now < state.windowStartedAt + policy.windowMs
    ? state
    : { attempts: 0, windowStartedAt: now, nextAllowedAt: state?.nextAllowedAt ?? now };
  if (current.attempts >= policy.maxAttempts) {
    return { admitted: false, retryAfterMs: current.windowStartedAt + policy.windowMs - now };
  }
  if (now < current.nextAllowedAt) return { admitted: false, retryAfterMs: current.nextAllowedAt - now };
  const attempts = current.attempts + 1;
  return { admitted: true, next: { attempts, windowStartedAt: current.windowStartedAt, nextAllowedAt: now + delayAfter(attempts, policy) } };
}

/** A correct password: the attempt charged for it is given back, and the wait it added lifted. */
export function refund(state: ThrottleState, now: number): ThrottleState {
  return { attempts: Math.max(0, state.attempts - 1), windowStartedAt: state.windowStartedAt, nextAllowedAt: Math.min(state.nextAllowedAt, now) };
}
