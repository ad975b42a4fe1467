// The one clock tests move by hand: time stands still until advance(), which
// fires the timers that fall due, in time order (each at its own instant, so
// a timer set by another one fires too when it falls inside the step).
import type { Clock } from '../../relay/core/clock.js';

export class ManualClock implements Clock {
  #now: number;
  #timers: { at: number; fn: () => void; live: boolean }[] = [];

  constructor(start = Date.parse('2026-11-02T09:00:00.000Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.#now + Math.max(0, ms), fn, live: true };
    this.#timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  /** Timers neither fired nor cancelled. */
  get pendingTimers(): number {
    this.#timers = this.#timers.filter((t) => t.live);
    return this.#timers.length;
  }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#now = Math.max(this.#now, due.at);
      due.live = false;
      due.fn();
    }
    this.#now = end;
    this.#timers = this.#timers.filter((t) => t.live);
  }
}
