// Benchmark 2 — event fan-out: the simulator emits 1,000 Call Control
// notifications per second for 30 s; 200 local WebSocket clients on
// /relay/ws. Latency is measured from the moment the simulator sends a
// notification (stamped in the simulator's process) to the moment a client's
// handler sees the matching call_event frame, on the same monotonic clock.
// Lost = emitted notifications a client never received; out of order = relay
// seq or 3CX sequence going backwards.
//
// Baseline: the same 200 clients connected straight to the simulator's Call
// Control WebSocket (sharing one token), i.e. the PBX's own fan-out with no
// relay hop. Not possible against a real 3CX (one token per client id, and
// integrations must not hold PBX credentials) but it is the floor any relay
// adds its cost to: the ratio says what the relay hop costs.
import { AdminClient } from '../support/admin-client.js';
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { closeReceivers, deliveryFigures, openReceivers, resetCounts, type Receiver } from '../support/frame-receivers.js';
import { distribution } from '../support/percentiles.js';
import { corePercent, cpuSecondsOf, mib, sampleRss } from '../support/proc-stats.js';
import { startRelayChild } from '../support/relay-process.js';
import { startSimChild } from '../support/sim-process.js';
import { sleep, waitForComponent } from '../support/wait.js';

// BENCH_FANOUT_CLIENTS: how latency scales with the client count (the target is for 200).
const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 200);
const EVENTS_PER_S = 1000;
const CONCURRENT_CALLS = 20;

export const fanOutBenchmark: Benchmark = {
  name: 'fan-out',
  title: `Event fan-out: ${EVENTS_PER_S} call events/s to ${CLIENTS} WebSocket clients`,
  estimatedS: 60,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const durationS = ctx.quick ? 5 : 30;
    const baselineS = ctx.quick ? 3 : 10;
    // Every path is warmed up before it is measured (JIT, socket buffers, the
    // relay's first participant reads): the first second of a cold run alone
    // held most of the >20 ms deliveries. Warm-up events fall outside the
    // measured window (deliveryFigures counts only the measured seqs).
    const warmUpS = ctx.quick ? 1 : 3;
    let receivers: Receiver[] = [];
    try {
      const sim = scope.own(await startSimChild());
      const relay = scope.own(await startRelayChild({ entry: ctx.relayEntry, pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } }));
      await waitForComponent(relay.url, 'callcontrol', 'connected');
      const admin = await AdminClient.login(relay.url, relay.adminPassword);
      const { apiKey } = await admin.createKey('bench-fan-out', ['read']);
      receivers = await openReceivers(CLIENTS, `${relay.url.replace(/^http/, 'ws')}/relay/ws`, { authorization: `Bearer ${apiKey}` }, true);
      ctx.log(`${CLIENTS} clients connected; warming up for ${warmUpS} s`);
      await sim.pace(EVENTS_PER_S, warmUpS, CONCURRENT_CALLS);
      resetCounts(receivers);
      ctx.log(`simulator emitting ${EVENTS_PER_S}/s for ${durationS} s`);
      const rss = sampleRss(relay.pid, 250);
      const cpu0 = { relay: cpuSecondsOf(relay.pid), sim: cpuSecondsOf(sim.pid), clients: process.cpuUsage(), at: performance.now() };
      const emitted = await sim.pace(EVENTS_PER_S, durationS, CONCURRENT_CALLS);
      const wallS = (performance.now() - cpu0.at) / 1000;
      const clientsCpu = process.cpuUsage(cpu0.clients);
      const cpu = {
        relay: corePercent(cpu0.relay, cpuSecondsOf(relay.pid), wallS),
        sim: corePercent(cpu0.sim, cpuSecondsOf(sim.pid), wallS),
        clients: Math.round(((clientsCpu.user + clientsCpu.system) / 1e6 / wallS) * 100),
      };
      await sleep(1500); // let the last frames arrive
      const mem = rss.stop();
      const ours = deliveryFigures(receivers, emitted, true);
      const lat = distribution(ours.latencies);
      const frames = receivers.reduce((s, r) => s + r.stats.frames, 0);
      const bytes = receivers.reduce((s, r) => s + r.stats.bytes, 0);
      const seqGaps = receivers.reduce((s, r) => s + r.stats.seqGaps, 0);
      const closed1013 = receivers.reduce((s, r) => s + r.stats.closeCodes.filter((c) => c === 1013).length, 0);
      await closeReceivers(receivers);
      receivers = [];
      await scope.release(relay);

      ctx.log(`baseline: ${CLIENTS} clients straight on the simulator's Call Control socket for ${baselineS} s`);
      const token = await sim.token();
      receivers = await openReceivers(CLIENTS, `${sim.url.replace(/^http/, 'ws')}/callcontrol/ws`, { authorization: `Bearer ${token}` }, false);
      await sim.pace(EVENTS_PER_S, warmUpS, CONCURRENT_CALLS);
      const emittedBase = await sim.pace(EVENTS_PER_S, baselineS, CONCURRENT_CALLS);
      await sleep(1000);
      const base = deliveryFigures(receivers, emittedBase, false);
      const baseLat = distribution(base.latencies);
      await closeReceivers(receivers);
      receivers = [];

      const emittedRate = emitted.seqs.length / durationS;
      return {
        name: 'fan-out',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          clients: CLIENTS,
          eventsEmitted: ours.emitted,
          eventsPerS: Math.round(emittedRate),
          deliveries: ours.deliveries,
          latencyP50Ms: lat.p50,
          latencyP99Ms: lat.p99,
          latencyMaxMs: lat.max,
          lost: ours.lost,
          outOfOrder: ours.outOfOrder,
          duplicates: ours.duplicates,
          relaySeqGaps: seqGaps,
          closed1013,
          framesPerClientPerS: Math.round(frames / CLIENTS / durationS),
          kibPerClientPerS: Math.round(bytes / CLIENTS / durationS / 1024),
          relayCpuPercentOfCore: cpu.relay,
          simulatorCpuPercentOfCore: cpu.sim,
          clientsCpuPercentOfCore: cpu.clients,
          relayRssStartMiB: mib(mem.first),
          relayRssPeakMiB: mib(mem.peak),
        },
        baseline: {
          description: `${CLIENTS} clients directly on the simulator's Call Control WebSocket (no relay hop)`,
          figures: {
            eventsEmitted: base.emitted,
            latencyP50Ms: baseLat.p50,
            latencyP99Ms: baseLat.p99,
            latencyMaxMs: baseLat.max,
            lost: base.lost,
            outOfOrder: base.outOfOrder,
          },
        },
        ratios: {
          p99VsDirect: baseLat.p99 > 0 ? lat.p99 / baseLat.p99 : null,
          p50VsDirect: baseLat.p50 > 0 ? lat.p50 / baseLat.p50 : null,
        },
        targets: [
          target('delivery latency p99 < 5 ms', lat.p99, (v) => v < 5),
          target('0 events lost', ours.lost + seqGaps, (v) => v === 0),
          target('0 out of order', ours.outOfOrder, (v) => v === 0),
        ],
        notes: [
          'relay, simulator and clients in three processes on the same machine; latency on CLOCK_MONOTONIC (process.hrtime)',
          `each path warmed up for ${warmUpS} s at the same rate before it is measured`,
          'lost = emitted by the simulator but not received by a client 1.5 s after the simulator stopped (a backlog still queued in the relay counts as lost)',
          `the simulator keeps ${CONCURRENT_CALLS} calls alive (queue -> answered -> hung up); every notification also makes the relay GET the participant; full \`calls\` frames are coalesced to at most one per 25 ms`,
        ],
      };
    } finally {
      if (receivers.length > 0) await closeReceivers(receivers);
      await scope.close();
    }
  },
};
