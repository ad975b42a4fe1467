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
    };
  } finally {
    if (receivers.length > 0) await closeReceivers(receivers);
  }
}

/** CPU-seconds reader for a child process by PID. */
export const cpuOfPid = (pid: number) => () => cpuSecondsOf(pid);
