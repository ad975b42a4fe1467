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
