// At most one call per interval, and never a lost last one. The full active
// call list goes to every WebSocket client on each change; at hundreds of
// changes per second that is most of the relay's work and most of what the
// clients receive, yet each list supersedes the one before. A change after a
// quiet spell runs at once (leading edge); changes within the interval after
// it are folded into one run at its end (trailing edge), which sees the state
// as it is then.
import type { Clock } from '../core/clock.js';

export class TrailingThrottle {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #run: () => void;
  #lastRunAt = Number.NEGATIVE_INFINITY;
  #timer: { cancel(): void } | null = null;

  /** `intervalMs` ≤ 0 runs on every request. */
  constructor(clock: Clock, intervalMs: number, run: () => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#run = run;
  }

  /** Whether a trailing run is scheduled. */
  get pending(): boolean {
    return this.#timer !== null;
  }

  /** Something changed: run now, or at the end of the current interval. */
  request(): void {
    if (this.#timer) return;
    const wait = this.#lastRunAt + this.#intervalMs - this.#clock.now();
    if (wait <= 0) {
      this.now();
      return;
    }
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = null;
      this.now();
    }, wait);
  }

  /** Run immediately (replacing a scheduled run) and start a new interval. */
  now(): void {
    this.cancel();
    this.#lastRunAt = this.#clock.now();
    this.#run();
  }

  /** Drop a scheduled run (stop()). */
  cancel(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }
}
