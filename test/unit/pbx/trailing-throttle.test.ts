import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../relay/core/clock.js';
import { TrailingThrottle } from '../../../relay/pbx/trailing-throttle.js';

/** A clock whose timers fire only when the test advances it. */
function manualClock(): Clock & { advance(ms: number): void; timers: number } {
  let t = 1_000_000;
  let timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => t,
    setTimeout(fn, ms) {
      const timer = { at: t + ms, fn, live: true };
      timers.push(timer);
      return { cancel: () => void (timer.live = false) };
    },
    advance(ms) {
      const until = t + ms;
      for (;;) {
        const due = timers.filter((x) => x.live && x.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        t = due.at;
        due.live = false;
        due.fn();
      }
      t = until;
      timers = timers.filter((x) => x.live);
    },
    get timers() {
      return timers.filter((x) => x.live).length;
    },
  };
}

describe('TrailingThrottle', () => {
  it('runs a change after a quiet spell at once, folds a burst into one trailing run with the final state', () => {
    const clock = manualClock();
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
    expect(clock.timers).toBe(0);
  });

  it('at most one run per interval under a steady stream', () => {
    const clock = manualClock();
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
    const clock = manualClock();
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
    const clock = manualClock();
    let runs = 0;
    const th = new TrailingThrottle(clock, 0, () => runs++);
    th.request();
    th.request();
    th.request();
    expect(runs).toBe(3);
    expect(clock.timers).toBe(0);
  });
});
