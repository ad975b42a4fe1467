// `npm run bench [-- NAME ...] [--quick]`: runs the benchmarks one after the
// other (never in parallel: they would share the two cores), prints each
// result with its baseline and ratio, writes JSON to bench/results/, and
// exits non-zero when a benchmark failed to run (a missed target is a
// finding, reported as MISS, not a crash).
import { formatResult, writeResult, type BenchResult } from './support/bench-result.js';
import type { Benchmark } from './support/benchmark.js';
import { ensureRelayBundle } from './support/compiled-relay.js';
import { keyAuthBenchmark } from './benchmarks/key-auth.js';
import { fanOutBenchmark } from './benchmarks/fan-out.js';
import { cdrExportBenchmark } from './benchmarks/cdr-export.js';
import { upstreamEconomyBenchmark } from './benchmarks/upstream-economy.js';
import { startupBenchmark } from './benchmarks/startup.js';
import { supervisorEconomyBenchmark } from './benchmarks/supervisor-economy.js';
import { teamFanOutBenchmark } from './benchmarks/team-fan-out.js';
import { teamFailoverBenchmark } from './benchmarks/team-failover.js';

const ALL: Benchmark[] = [keyAuthBenchmark, fanOutBenchmark, cdrExportBenchmark, upstreamEconomyBenchmark, startupBenchmark, supervisorEconomyBenchmark, teamFanOutBenchmark, teamFailoverBenchmark];

function usage(): string {
  return `usage: npm run bench [-- NAME ...] [--quick]\n  names: ${ALL.map((b) => b.name).join(', ')}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage());
    return 0;
  }
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !ALL.some((b) => b.name === n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark: ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const chosen = names.length === 0 ? ALL : ALL.filter((b) => names.includes(b.name));
  const estimate = chosen.reduce((s, b) => s + b.estimatedS, 0);
  console.log(`running ${chosen.map((b) => b.name).join(', ')} (about ${Math.round(estimate / 60)} min${quick ? ', quick' : ''})`);

  const relayEntry = await ensureRelayBundle((line) => console.log(`   ${line}`));
  const results: BenchResult[] = [];
  let failed = 0;
  for (const b of chosen) {
    const t0 = performance.now();
    console.log(`\n-- ${b.name}: ${b.title}`);
    try {
      const r = await b.run({ quick, relayEntry, log: (m) => console.log(`   ${b.name}: ${m}`) });
      results.push(r);
      const file = writeResult(r, { quick });
      console.log(formatResult(r));
      console.log(`  written ${file}`);
    } catch (err) {
      failed += 1;
      console.error(`!! ${b.name} failed after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${(err as Error).stack ?? err}`);
    }
  }

  console.log('\n== summary');
  for (const r of results) {
    const held = r.targets.filter((t) => t.held).length;
    console.log(`  ${r.name.padEnd(18)} targets held ${held}/${r.targets.length}${held < r.targets.length ? `  (missed: ${r.targets.filter((t) => !t.held).map((t) => t.description).join('; ')})` : ''}`);
  }
  if (failed > 0) console.log(`  ${failed} benchmark(s) failed to run`);
  return failed > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
