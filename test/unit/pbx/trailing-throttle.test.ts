import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../support/manual-clock.js';
import { TrailingThrottle } from '../../../relay/pbx/trailing-throttle.js';

describe('TrailingThrottle', () => {
  it('runs a change after a quiet spell at once, folds a burst into one trailing run with the final state', () => {
    const clock = new ManualClock(1_000_000);
    let state = 0;
    const runs: Array<[number, number]> = [];
    const th = new TrailingThrottle(clock, 25, () => runs.push([clock.now() - 1_000_000, state]));
    state = 1;
    th.request();
    expect(runs).toEqual([[0, 1]]);
    for (let i = 2; i <= 50; i++) {
      clock.advance(1);
      state = i;
      th.request();
    }
    // 49 changes within 49 ms: one run at the end of the first interval, one trailing run with the last state.
    clock.advance(100);
    expect(runs).toEqual([[0, 1], [25, 25], [50, 50]]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('at most one run per interval under a steady stream', () => {
    const clock = new ManualClock(1_000_000);
    let runs = 0;
    const th = new TrailingThrottle(clock, 25, () => runs++);
    for (let ms = 0; ms < 1000; ms++) {
      th.request();
      clock.advance(1);
    }
    clock.advance(25);
    expect(runs).toBeGreaterThanOrEqual(40);
    expect(runs).toBeLessThanOrEqual(41);
  });

  it('now() runs immediately and replaces a scheduled run; cancel() drops it', () => {
    const clock = new ManualClock(1_000_000);
    const runs: string[] = [];
    let label = 'first';
    const th = new TrailingThrottle(clock, 25, () => runs.push(label));
    th.request();
    label = 'burst';
    th.request();
    expect(th.pending).toBe(true);
    label = 'resync';
    th.now();
    expect(th.pending).toBe(false);
    clock.advance(100);
    expect(runs).toEqual(['first', 'resync']);
    th.request();
    label = 'never';
    clock.advance(5);
    th.request();
    th.cancel();
    clock.advance(100);
    expect(runs).toEqual(['first', 'resync', 'resync']);
  });

  it('an interval of 0 runs on every request', () => {
    const clock = new ManualClock(1_000_000);
    let runs = 0;
    const th = new TrailingThrottle(clock, 0, () => runs++);
    th.request();
    th.request();
    th.request();
    expect(runs).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });
});
