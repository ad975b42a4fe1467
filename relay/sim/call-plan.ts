// Realistic call scenarios as data: who calls whom, how long it waits, rings
// and talks, whether it is abandoned or transferred. The live generator plays
// a plan out with timers; the CDR seed plays it out instantly on a model with
// a moving clock. Both draw from a seeded Random.
import type { CallModel, HangUpSide } from './call-model.js';
import { CALL_TAKERS, QUEUES, TRUNK_DIDS, randomOutsideNumber } from './pbx-directory.js';
import type { Random } from './random.js';

export type PlanStart =
  | { type: 'inbound'; from: string; callerName: string | null; did: string; queueDn: string }
  | { type: 'outgoing'; fromDn: string; destination: string };

export type PlanStep =
  | { type: 'ring'; dn: string }
  | { type: 'answer'; dn?: string }
  | { type: 'transfer'; dn: string }
  | { type: 'hangup'; by: HangUpSide };

export interface CallPlan {
  start: PlanStart;
  /** Each step runs `afterMs` after the previous one. */
  steps: Array<{ afterMs: number; step: PlanStep }>;
}

const CALLER_NAMES = ['Acme GmbH', 'J. Doe', 'Muller Logistik', 'City Clinic', 'Nordwind AG', null, null, null];

/** Mostly short, some long: an exponential tail above a floor, capped. */
function duration(rng: Random, minS: number, meanS: number, maxS: number): number {
  const s = minS - Math.log(1 - rng.next()) * meanS;
  return Math.round(Math.min(s, maxS) * 1000);
}

function otherExtension(rng: Random, not: string): string {
  const choices = CALL_TAKERS.filter((e) => e.dn !== not);
  return rng.pick(choices).dn;
}

export function planCall(rng: Random): CallPlan {
  const r = rng.next();
  if (r < 0.6) return planInbound(rng);
  const fromDn = rng.pick(CALL_TAKERS).dn;
  if (r < 0.88) {
    const steps: CallPlan['steps'] = [];
    if (rng.chance(0.75)) {
      steps.push({ afterMs: duration(rng, 3, 6, 30), step: { type: 'answer' } });
      steps.push({ afterMs: duration(rng, 15, 150, 1800), step: { type: 'hangup', by: rng.chance(0.5) ? 'caller' : 'callee' } });
    } else {
      steps.push({ afterMs: duration(rng, 8, 10, 45), step: { type: 'hangup', by: 'caller' } });
    }
    return { start: { type: 'outgoing', fromDn, destination: randomOutsideNumber(rng) }, steps };
  }
  const toDn = otherExtension(rng, fromDn);
  const steps: CallPlan['steps'] = [];
  if (rng.chance(0.85)) {
    steps.push({ afterMs: duration(rng, 2, 4, 20), step: { type: 'answer', dn: toDn } });
    steps.push({ afterMs: duration(rng, 10, 90, 900), step: { type: 'hangup', by: rng.chance(0.5) ? 'caller' : 'callee' } });
  } else {
    steps.push({ afterMs: duration(rng, 10, 8, 30), step: { type: 'hangup', by: 'caller' } });
  }
  return { start: { type: 'outgoing', fromDn, destination: toDn }, steps };
}

function planInbound(rng: Random): CallPlan {
  const queue = rng.chance(0.5) ? (QUEUES[1] ?? rng.pick(QUEUES)) : rng.pick(QUEUES);
  const start: PlanStart = {
    type: 'inbound',
    from: randomOutsideNumber(rng),
    callerName: rng.pick(CALLER_NAMES),
    did: rng.pick(TRUNK_DIDS),
    queueDn: queue.dn,
  };
  const steps: CallPlan['steps'] = [];
  const waitMs = duration(rng, 1, 25, 600);
  if (rng.chance(0.1)) {
    // abandoned while waiting in the queue
    steps.push({ afterMs: waitMs, step: { type: 'hangup', by: 'caller' } });
    return { start, steps };
  }
  const agent = rng.pick(queue.agents);
  steps.push({ afterMs: waitMs, step: { type: 'ring', dn: agent } });
  if (rng.chance(0.06)) {
    // abandoned while the agent's phone rang
    steps.push({ afterMs: duration(rng, 2, 6, 30), step: { type: 'hangup', by: 'caller' } });
    return { start, steps };
  }
  steps.push({ afterMs: duration(rng, 2, 5, 25), step: { type: 'answer', dn: agent } });
  if (rng.chance(0.15)) {
    const target = otherExtension(rng, agent);
    steps.push({ afterMs: duration(rng, 20, 60, 600), step: { type: 'transfer', dn: target } });
    steps.push({ afterMs: duration(rng, 3, 5, 25), step: { type: 'answer', dn: target } });
  }
  steps.push({ afterMs: duration(rng, 20, 180, 3600), step: { type: 'hangup', by: rng.chance(0.55) ? 'caller' : 'callee' } });
  return { start, steps };
}

/** Starts a planned call on the model; returns its id. */
export function startPlannedCall(model: CallModel, start: PlanStart): number {
  if (start.type === 'inbound') {
    return model.placeInbound({ from: start.from, queueDn: start.queueDn, did: start.did, callerName: start.callerName }).id;
  }
  return model.placeOutgoing({ fromDn: start.fromDn, destination: start.destination }).id;
}

type StepRunner<K extends PlanStep['type']> = (model: CallModel, callId: number, step: Extract<PlanStep, { type: K }>) => void;

const STEP_RUNNERS: { [K in PlanStep['type']]: StepRunner<K> } = {
  ring: (model, callId, step) => model.ring(callId, step.dn),
  answer: (model, callId, step) => model.answer(callId, step.dn),
  transfer: (model, callId, step) => model.transfer(callId, step.dn),
  hangup: (model, callId, step) => void model.hangUp(callId, step.by),
};

/** Applies one step; false when the call is already gone (dropped meanwhile). */
export function applyPlanStep(model: CallModel, callId: number, step: PlanStep): boolean {
  if (!model.get(callId)) return false;
  (STEP_RUNNERS[step.type] as StepRunner<PlanStep['type']>)(model, callId, step);
  return true;
}
