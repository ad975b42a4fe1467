// Benchmark 1 — API key authentication + request logging on the hot path:
// GET /relay/active-calls with 10 active keys (connections spread over the
// keys), served from the Call Control live state. Baseline: the original
// design's check (bcrypt, cost 10, compared against every active key until
// one matches) with a write per logged request, same route and body.
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { spawnChild, tsxArgs } from '../../test/support/child-process.js';
import { runLoad } from '../support/load.js';
import { startRelayChild } from '../support/relay-process.js';
import { startSimChild } from '../support/sim-process.js';
import { ACTIVE_CALLS_KEYS as KEYS, placeLiveCalls, prepareActiveCallsLoad } from '../support/active-calls-load.js';

export const keyAuthBenchmark: Benchmark = {
  name: 'key-auth',
  title: 'API key auth + request logging: GET /relay/active-calls, 10 active keys',
  estimatedS: 60,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const durationS = ctx.quick ? 3 : 10;
    try {
      const sim = scope.own(await startSimChild());
      await placeLiveCalls(sim.url);
      const relay = scope.own(await startRelayChild({ entry: ctx.relayEntry, pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } }));
      const { url, connections, keys, headersFor, body } = await prepareActiveCallsLoad(relay.url, relay.adminPassword, 'bench-client');

      ctx.log('warming up the relay (2 s)');
      await runLoad({ url, connections, durationS: 2, headersFor });
      ctx.log(`measuring the relay (${durationS} s, ${connections} connections)`);
      const ours = await runLoad({ url, connections, durationS, headersFor });
      await scope.release(relay);

      ctx.log('starting the bcrypt baseline (hashing 10 keys at cost 10)');
      const baseline = scope.own(await spawnChild({
        args: tsxArgs('bench/baselines/bcrypt-key-server.ts'),
        env: { BASELINE_KEYS: JSON.stringify(keys), BASELINE_CALLS: JSON.stringify(body) },
        ready: /baseline listening on (\S+)/,
        readyTimeoutMs: 60_000,
      }));
      ctx.log(`measuring the baseline (${durationS} s, 10 connections, one per key)`);
      const base = await runLoad({ url: `${baseline.match[1]}/relay/active-calls`, connections: KEYS, durationS, headersFor });

      await scope.release(baseline);
      ctx.log(`reference: bare express, same route and body, no auth (${durationS} s, ${connections} connections)`);
      const plain = scope.own(await spawnChild({
        args: tsxArgs('bench/baselines/plain-express-server.ts'),
        env: { BASELINE_CALLS: JSON.stringify(body) },
        ready: /baseline listening on (\S+)/,
      }));
      const plainUrl = `${plain.match[1]}/relay/active-calls`;
      await runLoad({ url: plainUrl, connections, durationS: 2 });
      const floor = await runLoad({ url: plainUrl, connections, durationS });

      const ratio = base.requestsPerS > 0 ? ours.requestsPerS / base.requestsPerS : null;
      return {
        name: 'key-auth',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          requestsPerS: Math.round(ours.requestsPerS),
          latencyP50Ms: ours.latencyMs.p50,
          latencyP99Ms: ours.latencyMs.p99,
          latencyMaxMs: ours.latencyMs.max,
          ok2xx: ours.ok,
          non2xx: ours.non2xx,
          errors: ours.errors,
          connections,
          activeKeys: KEYS,
          activeCallsInBody: body.value.length,
        },
        baseline: {
          description: 'express app checking the key with bcrypt (cost 10) against every active key, one insert per request',
          figures: {
            requestsPerS: Math.round(base.requestsPerS * 100) / 100,
            latencyP50Ms: base.latencyMs.p50,
            latencyP99Ms: base.latencyMs.p99,
            ok2xx: base.ok,
            non2xx: base.non2xx,
            referenceBareExpressRequestsPerS: Math.round(floor.requestsPerS),
            referenceBareExpressP99Ms: floor.latencyMs.p99,
          },
        },
        ratios: { throughput: ratio, shareOfBareExpress: floor.requestsPerS > 0 ? ours.requestsPerS / floor.requestsPerS : null },
        targets: [
          target('throughput >= 5,000 req/s', ours.requestsPerS, (v) => v >= 5000),
          target('throughput >= 300x the bcrypt baseline', ratio, (v) => v >= 300),
          target('no non-2xx answers', ours.non2xx + ours.errors, (v) => v === 0),
        ],
        notes: [
          'relay in a child process as `npm run relay` runs it, load from autocannon in the bench process',
          `baseline averages ${(KEYS + 1) / 2} bcrypt compares per request (keys matched in creation order)`,
          'reference: a bare express app with the same route and body (no auth, logging or policy) is the ceiling on this machine',
        ],
      };
    } finally {
      await scope.close();
    }
  },
};
