// `npx tsx bench/compare.ts A B [--rounds 4] [--seconds 5]`: an A/B of
// benchmark 1's load (GET /relay/active-calls, 10 keys, 20 connections)
// between two relay builds or node flag sets, alternating short loads against
// one simulator so that both sides see the same machine. On a shared 2-core
// machine two back-to-back `npm run bench` runs differ by 10–20 %; a change
// worth a few percent only shows this way.
//
// A side is `ENTRY[::NODE ARGS]`, e.g. `dist/relay/before.mjs` or
// `bundle::--max-semi-space-size=16`; `bundle` is the current `npm run relay`
// bundle, and another build must sit next to it in dist/relay to find its
// packages. The relays run one at a time: the simulator lets one client id
// hold one token, as 3CX does.
import { placeLiveCalls, prepareActiveCallsLoad } from './support/active-calls-load.js';
import { ensureRelayBundle } from './support/compiled-relay.js';
import { runLoad } from './support/load.js';
import { startRelayChild } from './support/relay-process.js';
import { startSimChild, type SimChild } from './support/sim-process.js';

interface Side { label: string; entry: string; nodeArgs: string }

/** `bundle` names the current `npm run relay` bundle. */
function parseSide(label: string, spec: string, bundle: string): Side {
  const [entry = 'bundle', nodeArgs = ''] = spec.split('::');
  return { label, entry: entry === 'bundle' ? bundle : entry, nodeArgs };
}

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  args.splice(i, 2);
  return v;
}

async function measure(side: Side, sim: SimChild, seconds: number): Promise<number> {
  const before = process.env.BENCH_RELAY_NODE_ARGS;
  process.env.BENCH_RELAY_NODE_ARGS = side.nodeArgs;
  const relay = await startRelayChild({ entry: side.entry, pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } });
  if (before === undefined) delete process.env.BENCH_RELAY_NODE_ARGS;
  else process.env.BENCH_RELAY_NODE_ARGS = before;
  try {
    const { url, connections, headersFor } = await prepareActiveCallsLoad(relay.url, relay.adminPassword, 'ab');
    const load = { url, connections, headersFor };
    await runLoad({ ...load, durationS: 2 });
    const r = await runLoad({ ...load, durationS: seconds });
    if (r.non2xx + r.errors > 0) throw new Error(`${side.label}: ${r.non2xx} non-2xx answers and ${r.errors} errors`);
    return r.requestsPerS;
  } finally {
    await relay.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = option(args, '--rounds', 4);
  const seconds = option(args, '--seconds', 5);
  if (args.length !== 2) throw new Error('usage: npx tsx bench/compare.ts A B [--rounds 4] [--seconds 5]; a side is ENTRY[::NODE ARGS]');
  const bundle = await ensureRelayBundle();
  const sides = args.map((spec, i) => parseSide(i === 0 ? 'A' : 'B', spec, bundle));
  const sim = await startSimChild();
  try {
    await placeLiveCalls(sim.url);
    const figures: Record<string, number[]> = { A: [], B: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so a trend in the machine's load hits both.
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const rps = await measure(side, sim, seconds);
        figures[side.label]!.push(rps);
        console.log(`round ${round + 1} ${side.label}: ${Math.round(rps)} req/s`);
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    for (const side of sides) {
      const xs = figures[side.label]!;
      console.log(`${side.label} ${side.entry} ${side.nodeArgs}: mean ${Math.round(mean(xs))} req/s (${xs.map(Math.round).join(', ')})`);
    }
    console.log(`B/A: ${(mean(figures.B!) / mean(figures.A!)).toFixed(3)}`);
  } finally {
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
