// Plays planned calls on the live model at a configurable rate (Poisson
// arrivals), each call's steps on timers. All timers are owned here and
// cleared by stop().
import type { Logger } from '../core/logger.js';
import type { CallModel } from './call-model.js';
import { applyPlanStep, planCall, startPlannedCall, type CallPlan, type PlanStep } from './call-plan.js';
import { findQueue } from './pbx-directory.js';
import type { QueueAgents } from './queue-agents.js';
import type { Random } from './random.js';

export interface CallGeneratorOptions {
  model: CallModel;
  rng: Random;
  logger: Logger;
  /** Calls started per minute; 0 = off. */
  callsPerMinute: number;
  /** Multiplies every wait/ring/talk time (0.01 = a hundred times faster). */
  timeScale?: number;
  /** Queue login status: a queue rings only logged-in agents, as 3CX does. */
  agents?: QueueAgents;
}

export class CallGenerator {
  private readonly timers = new Set<NodeJS.Timeout>();
  private arrival: NodeJS.Timeout | null = null;
  private rate: number;
  private running = false;

  constructor(private readonly opts: CallGeneratorOptions) {
    this.rate = Math.max(0, opts.callsPerMinute);
  }

  get callsPerMinute(): number {
    return this.rate;
  }

  start(): void {
    this.running = true;
    this.scheduleArrival();
  }

  setCallsPerMinute(n: number): void {
    this.rate = Math.max(0, n);
    if (this.arrival) clearTimeout(this.arrival);
    this.arrival = null;
    if (this.running) this.scheduleArrival();
  }

  stop(): void {
    this.running = false;
    if (this.arrival) clearTimeout(this.arrival);
    this.arrival = null;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, Math.max(0, ms * (this.opts.timeScale ?? 1)));
    this.timers.add(t);
  }

  private scheduleArrival(): void {
    if (!this.running || this.rate <= 0) return;
    const meanMs = 60_000 / this.rate;
    const waitMs = -Math.log(1 - this.opts.rng.next()) * meanMs;
    this.arrival = setTimeout(() => {
      this.arrival = null;
      this.startOne(planCall(this.opts.rng));
      this.scheduleArrival();
    }, waitMs);
  }

  private startOne(plan: CallPlan): void {
    let callId: number;
    try {
      callId = startPlannedCall(this.opts.model, plan.start);
    } catch (err) {
      this.opts.logger.warn('sim: could not start a generated call', { error: (err as Error).message });
      return;
    }
    // The plan picked an agent when the call began; by the time the queue
    // rings, that agent may have logged out: another logged-in one takes it.
    const swapped = new Map<string, string>();
    const run = (index: number) => {
      const next = plan.steps[index];
      if (!next) return;
      this.later(next.afterMs, () => {
        try {
          if (applyPlanStep(this.opts.model, callId, this.toLoggedIn(plan, next.step, swapped))) run(index + 1);
        } catch (err) {
          // A test may have moved the call on by hand; the plan just ends.
          this.opts.logger.debug('sim: generated call step skipped', { callId, step: next.step.type, error: (err as Error).message });
        }
      });
    };
    run(0);
  }

  private toLoggedIn(plan: CallPlan, step: PlanStep, swapped: Map<string, string>): PlanStep {
    const { agents } = this.opts;
    if (!agents || plan.start.type !== 'inbound' || !('dn' in step) || !step.dn) return step;
    const queue = findQueue(plan.start.queueDn);
    if (step.type === 'ring' && queue?.agents.includes(step.dn) && agents.get(step.dn) === 'LoggedOut') {
      const loggedIn = queue.agents.filter((dn) => agents.get(dn) === 'LoggedIn');
      if (loggedIn.length > 0) swapped.set(step.dn, this.opts.rng.pick(loggedIn));
    }
    const dn = swapped.get(step.dn);
    return dn ? { ...step, dn } : step;
  }
}
