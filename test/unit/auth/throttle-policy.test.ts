import { describe, expect, it } from 'vitest';
import { admit, delayAfter, DEVICE_POLICY, refund, UNTRUSTED_ACCOUNT_POLICY, type ThrottlePolicy, type ThrottleState } from '../../../relay/auth/throttle-policy.js';

const T0 = Date.parse('2026-11-30T00:00:00Z');

/** Attempts a client gets in `ms` when it retries the moment it is allowed. */
function attemptsIn(ms: number, policy: ThrottlePolicy): number {
  let state: ThrottleState | null = null;
  let now = T0;
  let n = 0;
  while (now < T0 + ms) {
    const a = admit(state, now, policy);
    if (a.admitted) {
      state = a.next;
      n++;
    } else {
      now += a.retryAfterMs;
    }
  }
  return n;
}

describe('throttle policy', () => {
  it('lets the first attempts through, then doubles the wait up to the cap', () => {
    const p = UNTRUSTED_ACCOUNT_POLICY;
    expect([1, 4, 5, 6, 7].map((n) => delayAfter(n, p))).toEqual([0, 0, 1_000, 2_000, 4_000]);
    expect(delayAfter(40, p)).toBe(p.maxDelayMs);
    expect(delayAfter(10_000, p)).toBe(p.maxDelayMs); // no overflow
  });

  it('gives an untrusted client at most 100 attempts a day, and not far fewer', () => {
    const perDay = attemptsIn(24 * 3_600_000, UNTRUSTED_ACCOUNT_POLICY);
    expect(perDay).toBeLessThanOrEqual(100);
    expect(perDay).toBeGreaterThanOrEqual(90);
  });

  it('a device is stopped after its budget for the rest of the hour', () => {
    expect(attemptsIn(3_600_000, DEVICE_POLICY)).toBe(DEVICE_POLICY.maxAttempts);
  });

  it('says how long to wait, and starts over when the window ends', () => {
    let state: ThrottleState | null = null;
    for (let i = 0; i < 5; i++) {
      const a = admit(state, T0, UNTRUSTED_ACCOUNT_POLICY);
      if (!a.admitted) throw new Error('expected admission');
      state = a.next;
    }
    expect(admit(state, T0, UNTRUSTED_ACCOUNT_POLICY)).toEqual({ admitted: false, retryAfterMs: 1_000 });
    expect(admit(state, T0 + 1_000, UNTRUSTED_ACCOUNT_POLICY)).toMatchObject({ admitted: true, next: { attempts: 6 } });
    expect(admit(state, T0 + 24 * 3_600_000, UNTRUSTED_ACCOUNT_POLICY)).toMatchObject({ admitted: true, next: { attempts: 1 } });
  });

  it('a refund gives back one attempt and lifts the wait it added', () => {
    const state = { attempts: 6, windowStartedAt: T0, nextAllowedAt: T0 + 2_000 };
    expect(refund(state, T0 + 500)).toEqual({ attempts: 5, windowStartedAt: T0, nextAllowedAt: T0 + 500 });
    expect(refund({ ...state, attempts: 0 }, T0)).toMatchObject({ attempts: 0 });
  });
});
