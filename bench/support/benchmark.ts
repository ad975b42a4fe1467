// What every benchmark exports, and what the runner hands it.
import type { BenchResult } from './bench-result.js';

export interface BenchContext {
  /** Progress lines for the terminal. */
  log(msg: string): void;
  /** Shorter runs for a smoke check of the harness (`--quick`); figures are not comparable. */
  quick: boolean;
  /** The relay bundle `npm run relay` runs (dist/relay/cli.mjs), built once by the runner. */
  relayEntry: string;
}

export interface Benchmark {
  name: string;
  title: string;
  /** Rough wall time, for the plan the runner prints. */
  estimatedS: number;
  run(ctx: BenchContext): Promise<BenchResult>;
}

/**
 * One benchmark run's bookkeeping: when it started, how long it took, and the
 * processes it started, stopped newest first however the run ends.
 */
export class RunScope {
  readonly startedAt = new Date().toISOString();
  private readonly t0 = performance.now();
  private readonly running: { stop(): Promise<unknown> }[] = [];

  elapsedS(): number {
    return (performance.now() - this.t0) / 1000;
  }

  /** Remembers something to stop at the end; returns it. */
  own<T extends { stop(): Promise<unknown> }>(thing: T): T {
    this.running.push(thing);
    return thing;
  }

  /** Stops one owned thing now (e.g. the relay before its baseline runs). */
  async release(thing: { stop(): Promise<unknown> }): Promise<void> {
    const i = this.running.indexOf(thing);
    if (i >= 0) this.running.splice(i, 1);
    await thing.stop();
  }

  /** Stops everything still owned, newest first; never throws. */
  async close(): Promise<void> {
    while (this.running.length > 0) await this.running.pop()!.stop().catch(() => undefined);
  }
}
