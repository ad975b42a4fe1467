// Agents logging in and out of the queues at random, as on a real shift
// (breaks, lunch, end of day), so a wallboard shows agent figures moving.
// Never logs out the last two logged-in agents of a queue: the demo's
// callers should still be answered.
import { QUEUES } from './pbx-directory.js';
import type { QueueAgents } from './queue-agents.js';
import type { Random } from './random.js';

const MIN_LOGGED_IN = 2;

export class AgentChurn {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: { agents: QueueAgents; rng: Random; perMinute: number }) {}

  start(): void {
    if (this.opts.perMinute <= 0 || this.timer) return;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One change: a logged-out agent logs in, or a logged-in one (not among a queue's last two) logs out. */
  step(): void {
    const { agents, rng } = this.opts;
    const dn = rng.pick(agents.members());
    if (agents.get(dn) === 'LoggedOut') return agents.set(dn, 'LoggedIn');
    const leavesTooFew = QUEUES.some((q) => q.agents.includes(dn) && q.agents.filter((a) => agents.get(a) === 'LoggedIn').length <= MIN_LOGGED_IN);
    if (!leavesTooFew) agents.set(dn, 'LoggedOut');
  }

  private schedule(): void {
    const meanMs = 60_000 / this.opts.perMinute;
    this.timer = setTimeout(() => {
      this.step();
      this.schedule();
    }, -Math.log(1 - this.opts.rng.next()) * meanMs);
    this.timer.unref();
  }
}
