// Supervisor economy (issue 13): what watching queues costs the PBX. One
// viewer polls GET /relay/queues once a second; then 100 pollers (queues,
// agents, PBX overview at 1 Hz each) and 100 WebSocket clients watch at
// once. Counts the XAPI requests the simulator received per second in each
// phase: the relay's one shared refresh loop should make them equal.
import { AdminClient } from '../support/admin-client.js';
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { openReceivers } from '../support/frame-receivers.js';
import { runLoad } from '../support/load.js';
import { startRelayChild } from '../support/relay-process.js';
import { startSimChild } from '../support/sim-process.js';

const VIEWERS = 100;
// The relay allows 32 sockets per key: spread the WebSocket clients over keys.
const SOCKETS_PER_KEY = 25;

export const supervisorEconomyBenchmark: Benchmark = {
  name: 'supervisor-economy',
  title: `Supervisor economy: XAPI requests/s for 1 viewer vs ${VIEWERS} pollers + ${VIEWERS} WebSocket clients`,
  estimatedS: 75,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const durationS = ctx.quick ? 6 : 30;
    try {
      const sim = scope.own(await startSimChild({ callsPerMinute: 30, agentChurnPerMinute: 6 }));
      const relay = scope.own(await startRelayChild({ entry: ctx.relayEntry, pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } }));
      const admin = await AdminClient.login(relay.url, relay.adminPassword);
      const keys: string[] = [];
      for (let i = 0; i < VIEWERS / SOCKETS_PER_KEY; i++) keys.push((await admin.createKey(`bench-supervisor-${i}`, ['read'])).apiKey);
      const headers = (i: number) => ({ authorization: `Bearer ${keys[i % keys.length]}` });
      // Let the first refreshes settle.
      await new Promise((r) => setTimeout(r, 3_000));

      ctx.log(`one viewer polling /relay/queues at 1 Hz for ${durationS} s`);
      const s0 = await sim.stats();
      const one = await runLoad({ url: `${relay.url}/relay/queues`, connections: 1, overallRate: 1, durationS, headersFor: headers });
      const s1 = await sim.stats();
      const onePerS = (s1.xapiRequests - s0.xapiRequests) / one.durationS;

      ctx.log(`${VIEWERS} pollers and ${VIEWERS} WebSocket clients for ${durationS} s`);
      const wsUrl = `${relay.url.replace('http', 'ws')}/relay/ws`;
      const receivers = [];
      for (let k = 0; k < keys.length; k++) receivers.push(...(await openReceivers(SOCKETS_PER_KEY, wsUrl, headers(k), true)));
      const s2 = await sim.stats();
      const paths = ['/relay/queues', '/relay/agents', '/relay/pbx'];
      const loads = await Promise.all(paths.map((p, i) => runLoad({
        url: `${relay.url}${p}`,
        connections: Math.ceil(VIEWERS / paths.length),
        overallRate: Math.ceil(VIEWERS / paths.length),
        durationS,
        headersFor: (c) => headers(c + i),
      })));
      const s3 = await sim.stats();
      const frames = receivers.reduce((n, r) => n + r.stats.frames, 0);
      for (const r of receivers) r.ws.terminate();
      const crowdS = Math.max(...loads.map((l) => l.durationS));
      const crowdPerS = (s3.xapiRequests - s2.xapiRequests) / crowdS;
      const failures = loads.reduce((n, l) => n + l.non2xx + l.errors, 0);

      return {
        name: 'supervisor-economy',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          viewers: VIEWERS,
          xapiRequestsPerS: Math.round(crowdPerS * 100) / 100,
          polls: loads.reduce((n, l) => n + l.ok, 0),
          pollLatencyP99Ms: Math.max(...loads.map((l) => l.latencyMs.p99)),
          wsFramesReceived: frames,
        },
        baseline: {
          description: 'one viewer polling /relay/queues at 1 Hz',
          figures: { xapiRequestsPerS: Math.round(onePerS * 100) / 100 },
        },
        ratios: { crowdOverOneViewer: onePerS > 0 ? crowdPerS / onePerS : null },
        targets: [
          // Same loop either way; the generator's calls make the change-triggered part vary a little.
          target('XAPI requests/s with 100+100 viewers <= one viewer x 1.25 + 0.2', crowdPerS, (v) => v <= onePerS * 1.25 + 0.2),
          target('every poll answered 200', failures, (v) => v === 0),
        ],
        notes: ['simulator generating 30 calls/min with agents logging in and out; the relay refreshes on call changes (at most every 2 s) and every 5 s'],
      };
    } finally {
      await scope.close();
    }
  },
};
