// Benchmark 4 — upstream economy: 100 local clients poll
// GET /relay/active-calls once a second for 30 s while Call Control is kept
// down (the simulator drops its WebSocket every 20 ms), so XAPI is the
// source. Counts the XAPI requests the simulator received. Baseline: the
// same pollers without a relay in between (straight at the simulator's XAPI
// ActiveCalls), i.e. no coalescing: one upstream request per poll.
import type { ActiveCallsResponse } from '../../relay/contract/api-types.js';
import { AdminClient } from '../support/admin-client.js';
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { runLoad } from '../support/load.js';
import { startRelayChild } from '../support/relay-process.js';
import { startSimChild } from '../support/sim-process.js';
import { waitFor } from '../support/wait.js';

const POLLERS = 100;

export const upstreamEconomyBenchmark: Benchmark = {
  name: 'upstream-economy',
  title: `Upstream economy: ${POLLERS} clients polling active calls at 1 Hz, XAPI as the source`,
  estimatedS: 60,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const durationS = ctx.quick ? 5 : 30;
    const baselineS = ctx.quick ? 3 : 10;
    try {
      const sim = scope.own(await startSimChild({ callsPerMinute: 30 }));
      const relay = scope.own(await startRelayChild({ entry: ctx.relayEntry, pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } }));
      const admin = await AdminClient.login(relay.url, relay.adminPassword);
      const { apiKey } = await admin.createKey('bench-pollers', ['read']);
      const url = `${relay.url}/relay/active-calls`;
      const headers = { authorization: `Bearer ${apiKey}` };
      await sim.faults({ dropWebSocketsEveryMs: 20 });
      await waitFor('active calls answered from XAPI', async () => {
        const res = await fetch(url, { headers });
        return res.status === 200 && ((await res.json()) as ActiveCallsResponse).source === 'xapi';
      }, 30_000, 200);

      const sources = { xapi: 0, callcontrol: 0, other: 0 };
      const before = await sim.stats();
      ctx.log(`${POLLERS} pollers at 1 Hz for ${durationS} s`);
      const load = await runLoad({
        url,
        connections: POLLERS,
        overallRate: POLLERS,
        durationS,
        headersFor: () => headers,
        onResponse: (status, body) => {
          if (status !== 200) return;
          const source = /"source":"(\w+)"/.exec(body)?.[1];
          if (source === 'xapi' || source === 'callcontrol') sources[source] += 1;
          else sources.other += 1;
        },
      });
      const after = await sim.stats();
      const xapiDelta = after.xapiRequests - before.xapiRequests;
      // The live list's own cost (what the pollers could multiply); the rest is the supervisor's
      // shared queue/agent refresh, which runs whoever polls (benchmark supervisor-economy).
      const activeCallsDelta = after.xapiActiveCallsRequests - before.xapiActiveCallsRequests;
      await scope.release(relay);
      await sim.faults({ reset: true });

      ctx.log(`baseline: the same pollers straight at the simulator's XAPI for ${baselineS} s`);
      const token = await sim.token();
      const b0 = await sim.stats();
      const base = await runLoad({
        url: `${sim.url}/xapi/v1/ActiveCalls`,
        connections: POLLERS,
        overallRate: POLLERS,
        durationS: baselineS,
        headersFor: () => ({ authorization: `Bearer ${token}` }),
      });
      const b1 = await sim.stats();
      const baseDelta = b1.xapiRequests - b0.xapiRequests;

      const oursPerS = activeCallsDelta / load.durationS;
      const allPerS = xapiDelta / load.durationS;
      const basePerS = baseDelta / base.durationS;
      return {
        name: 'upstream-economy',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          pollers: POLLERS,
          pollsAnswered: load.ok,
          pollsPerS: Math.round(load.requestsPerS),
          non2xx: load.non2xx,
          answersFromXapi: sources.xapi,
          answersFromCallControl: sources.callcontrol,
          activeCallsRequests: activeCallsDelta,
          activeCallsRequestsPerS: Math.round(oursPerS * 100) / 100,
          xapiRequestsAll: xapiDelta,
          xapiRequestsAllPerS: Math.round(allPerS * 100) / 100,
          pollLatencyP50Ms: load.latencyMs.p50,
          pollLatencyP99Ms: load.latencyMs.p99,
        },
        baseline: {
          description: 'pollers straight at the simulator XAPI (no coalescing: one upstream request per poll)',
          figures: { polls: base.ok, xapiRequests: baseDelta, xapiRequestsPerS: Math.round(basePerS * 100) / 100 },
        },
        ratios: { upstreamRequestsSaved: oursPerS > 0 ? basePerS / oursPerS : null },
        targets: [
          target('<= 1 XAPI ActiveCalls request per second', oursPerS, (v) => v <= 1),
          target('every poll answered 200', load.non2xx + load.errors, (v) => v === 0),
        ],
        notes: ['Call Control kept down by the simulator dropping its socket every 20 ms; answers by source are listed', 'the target counts GET ActiveCalls (the live list the pollers read); xapiRequestsAll adds the supervisor view\'s shared refresh (Queues, Users, SystemStatus), which runs whoever polls'],
      };
    } finally {
      await scope.close();
    }
  },
};
