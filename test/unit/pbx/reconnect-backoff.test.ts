import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_BACKOFF, backoffCeilingMs, backoffDelayMs } from '../../../relay/pbx/reconnect-backoff.js';

describe('reconnect backoff', () => {
  it('doubles the ceiling per attempt up to the 30 s cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeilingMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(backoffCeilingMs(10_000)).toBe(DEFAULT_BACKOFF.capMs);
    expect(backoffCeilingMs(-3)).toBe(500);
  });

  it('uses full jitter: the random draw scales the whole ceiling', () => {
    expect(backoffDelayMs(3, () => 0)).toBe(0);
    expect(backoffDelayMs(3, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(3, () => 0.999999)).toBe(3999);
    expect(backoffDelayMs(20, () => 0.5)).toBe(15000);
  });

  it('stays within [0, min(cap, base*2^n)] for any attempt and draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 120_000 }), (n, r, baseMs, capMs) => {
        const d = backoffDelayMs(n, () => r, { baseMs, capMs });
        return Number.isInteger(d) && d >= 0 && d <= Math.min(capMs, baseMs * 2 ** Math.min(n, 1024));
      }),
    );
  });

  it('clamps a misbehaving random source', () => {
    expect(backoffDelayMs(1, () => 7)).toBe(1000);
    expect(backoffDelayMs(1, () => -1)).toBe(0);
  });
});
