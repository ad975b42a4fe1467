// The 3CX simulator in its own process for benchmarks and the soak, so
// neither the relay nor the load generator shares its event loop. Options as
// JSON in argv[2], the client secret in SIM_CLIENT_SECRET. Prints
// `sim listening on URL`. Control: the simulator's own /__sim/* routes, plus
// one IPC message for the fan-out benchmark:
//
//   { type: 'pace', eventsPerSecond, durationS, concurrentCalls }
//     drives the scenario API (place -> answer -> hang up) so that Call
//     Control notifications go out at exactly that rate, and answers
//     { type: 'paced', seqs, sentAtMs } with the emit time of every
//     notification (process.hrtime, i.e. CLOCK_MONOTONIC: the same clock in
//     every process on this machine).
import { WebSocket } from 'ws';
import { startSimulator, type SimulatorOptions } from '../../relay/sim/simulator.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

// Emit timestamps: the simulator sends each notification as a string that
// starts with {"sequence":N. Stamping right before the send measures from the
// moment the PBX lets go of the event. Instrumentation only: the frame is
// passed through untouched.
const stamps = { on: false, seqs: [] as number[], at: [] as number[], lastSeq: -1 };
const originalSend = WebSocket.prototype.send;
WebSocket.prototype.send = function patchedSend(this: WebSocket, data: unknown, ...rest: unknown[]) {
  if (stamps.on && typeof data === 'string' && data.startsWith('{"sequence":')) {
    const seq = Number.parseInt(data.slice(12), 10);
    if (seq !== stamps.lastSeq) {
      stamps.lastSeq = seq;
      stamps.seqs.push(seq);
      stamps.at.push(nowMs());
    }
  }
  return (originalSend as (...a: unknown[]) => void).call(this, data, ...rest);
} as typeof WebSocket.prototype.send;

const sim = await startSimulator({ callControlMonitors: 'all', ...opts, clientSecret: process.env.SIM_CLIENT_SECRET ?? opts.clientSecret });
process.stdout.write(`sim listening on ${sim.url}\n`);

interface LiveCall { id: number; answered: boolean }

async function pace(eventsPerSecond: number, durationS: number, concurrentCalls: number): Promise<void> {
  stamps.seqs = [];
  stamps.at = [];
  stamps.on = true;
  const live: LiveCall[] = [];
  const t0 = nowMs();
  const endAt = t0 + durationS * 1000;
  // One scenario step: keep `concurrentCalls` calls alive, each going
  // queue -> answered by an agent -> hung up.
  const step = () => {
    if (live.length < concurrentCalls) {
      live.push({ id: sim.placeInboundCall(), answered: false });
      return;
    }
    const call = live.shift()!;
    try {
      if (!call.answered) {
        sim.answer(call.id);
        live.push({ ...call, answered: true });
      } else {
        sim.hangUp(call.id, 'caller');
      }
    } catch {
      // The call is gone (e.g. dropped); its slot is refilled next step.
    }
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = nowMs();
      const due = Math.min(eventsPerSecond * ((Math.min(t, endAt) - t0) / 1000), eventsPerSecond * durationS);
      let guard = 0;
      while (stamps.seqs.length < due && guard++ < 10_000) step();
      if (t >= endAt) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  stamps.on = false;
  for (const c of live) {
    try {
      sim.hangUp(c.id, 'caller');
    } catch {
      // already gone
    }
  }
}

process.on('message', (msg: { type: string; eventsPerSecond?: number; durationS?: number; concurrentCalls?: number }) => {
  if (msg.type !== 'pace') return;
  void pace(msg.eventsPerSecond ?? 1000, msg.durationS ?? 30, msg.concurrentCalls ?? 20).then(() => {
    process.send?.({ type: 'paced', seqs: stamps.seqs, sentAtMs: stamps.at });
  });
});

const shutdown = () => void sim.stop().then(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
