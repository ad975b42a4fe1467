// One measured fan-out phase, the method of benchmark 2 (fan-out.ts) applied
// to any relay URL: N WebSocket clients on /relay/ws, the simulator paced at
// a fixed rate of Call Control notifications, latency from the simulator's
// send (stamped in its process) to a client's handler, on CLOCK_MONOTONIC.
// The team benchmark runs it on a single relay, a team's leader and a
// follower in turn, so the three are measured the same way in the same run.
import { closeReceivers, deliveryFigures, openReceivers, resetCounts, type Receiver } from './frame-receivers.js';
import { distribution } from './percentiles.js';
import { corePercent, cpuSecondsOf } from './proc-stats.js';
import type { SimChild } from './sim-process.js';
import { sleep } from './wait.js';

export interface FanOutPhaseOptions {
  relayUrl: string;
  apiKey: string;
  sim: SimChild;
  clients: number;
  eventsPerS: number;
  concurrentCalls: number;
  warmUpS: number;
  durationS: number;
  /** Processes whose CPU share is reported for the measured window. */
  cpuOf?: Record<string, () => number | null>;
}

export interface FanOutPhase {
  emitted: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Emitted by the simulator but never received by a client 1.5 s after the last one. */
  lost: number;
  /** Relay `seq` jumped by more than one (frames skipped). */
  seqGaps: number;
  outOfOrder: number;
  duplicates: number;
  closed1013: number;
  /** Percent of one core over the measured window, per name given in cpuOf. */
  cpu: Record<string, number | null>;
  /** Every delivery's latency (ms), for combining segments. */
  latencies: Float64Array;
}

export async function measureFanOutPhase(o: FanOutPhaseOptions): Promise<FanOutPhase> {
  let receivers: Receiver[] = [];
  try {
    receivers = await openReceivers(o.clients, `${o.relayUrl.replace(/^http/, 'ws')}/relay/ws`, { authorization: `Bearer ${o.apiKey}` }, true);
    // Warm-up at the same rate (JIT, socket buffers, pools); its events fall
    // outside the measured window, as in benchmark 2.
    await o.sim.pace(o.eventsPerS, o.warmUpS, o.concurrentCalls);
    resetCounts(receivers);
    const cpuBefore = Object.fromEntries(Object.entries(o.cpuOf ?? {}).map(([k, f]) => [k, f()]));
    const t0 = performance.now();
    const emitted = await o.sim.pace(o.eventsPerS, o.durationS, o.concurrentCalls);
    const wallS = (performance.now() - t0) / 1000;
    const cpu = Object.fromEntries(Object.entries(o.cpuOf ?? {}).map(([k, f]) => [k, corePercent(cpuBefore[k] ?? null, f(), wallS)]));
    await sleep(1500); // let the last frames arrive
    const d = deliveryFigures(receivers, emitted, true);
    const lat = distribution(d.latencies);
    return {
      emitted: d.emitted,
      deliveries: d.deliveries,
      p50Ms: lat.p50,
      p99Ms: lat.p99,
      maxMs: lat.max,
      lost: d.lost,
      seqGaps: receivers.reduce((s, r) => s + r.stats.seqGaps, 0),
      outOfOrder: d.outOfOrder,
      duplicates: d.duplicates,
      closed1013: receivers.reduce((s, r) => s + r.stats.closeCodes.filter((c) => c === 1013).length, 0),
      cpu,
      latencies: d.latencies,
    };
  } finally {
    if (receivers.length > 0) await closeReceivers(receivers);
  }
}

/**
 * Several segments of one subject as one phase: counts added, percentiles
 * over all deliveries, CPU shares averaged (segments are equally long).
 */
export function combinePhases(segments: readonly FanOutPhase[]): FanOutPhase {
  const total = segments.reduce((n, p) => n + p.latencies.length, 0);
  const latencies = new Float64Array(total);
  let at = 0;
  for (const p of segments) {
    latencies.set(p.latencies, at);
    at += p.latencies.length;
  }
  const lat = distribution(latencies);
  const sum = (f: (p: FanOutPhase) => number) => segments.reduce((n, p) => n + f(p), 0);
  const cpu: Record<string, number | null> = {};
  for (const k of Object.keys(segments[0]?.cpu ?? {})) {
    const vs = segments.map((p) => p.cpu[k]);
    cpu[k] = vs.every((v): v is number => typeof v === 'number') ? Math.round(vs.reduce((a, b) => a + b, 0) / vs.length) : null;
  }
  return {
    emitted: sum((p) => p.emitted),
    deliveries: sum((p) => p.deliveries),
    p50Ms: lat.p50,
    p99Ms: lat.p99,
    maxMs: lat.max,
    lost: sum((p) => p.lost),
    seqGaps: sum((p) => p.seqGaps),
    outOfOrder: sum((p) => p.outOfOrder),
    duplicates: sum((p) => p.duplicates),
    closed1013: sum((p) => p.closed1013),
    cpu,
    latencies,
  };
}

/** CPU-seconds reader for a child process by PID. */
export const cpuOfPid = (pid: number) => () => cpuSecondsOf(pid);
