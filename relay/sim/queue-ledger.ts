// What the simulated PBX knows about its queue calls today, kept from the
// call model's own events: answered (with the wait until an agent picked up),
// abandoned (hung up before any agent answered), and who waits now. Tests
// compare the relay's supervisor figures with this ground truth.
import type { CallModel, SimCall } from './call-model.js';
import { QUEUES, findQueue } from './pbx-directory.js';

export interface SimQueueFigures {
  dn: string;
  /** Callers waiting in the queue now (no agent rung or answered). */
  waiting: number;
  longestWaitS: number;
  answered: number;
  abandoned: number;
  answeredWithinSla: number;
  /** Percent of answered + abandoned answered within the queue's SLA; null with none. */
  serviceLevel: number | null;
  /** Answered per agent DN. */
  answeredBy: Record<string, number>;
}

interface Tally { answered: number; abandoned: number; withinSla: number; answeredBy: Map<string, number> }

export class QueueLedger {
  private readonly tallies = new Map<string, Tally>();
  private readonly answered = new Set<number>();

  constructor(private readonly model: CallModel, private readonly now: () => number) {
    for (const q of QUEUES) this.tallies.set(q.dn, { answered: 0, abandoned: 0, withinSla: 0, answeredBy: new Map() });
    model.on('changed', (call) => this.onChanged(call));
    model.on('ended', (call) => this.onEnded(call));
  }

  figures(): SimQueueFigures[] {
    const now = this.now();
    return QUEUES.map((q) => {
      const t = this.tallies.get(q.dn)!;
      const waiting = this.model.list().filter((c) => c.queueDn === q.dn && c.status === 'Talking' && c.callee === q.dn);
      const longest = waiting.reduce((m, c) => Math.max(m, now - c.startedAt.getTime()), 0);
      const total = t.answered + t.abandoned;
      return {
        dn: q.dn,
        waiting: waiting.length,
        longestWaitS: Math.floor(longest / 1000),
        answered: t.answered,
        abandoned: t.abandoned,
        answeredWithinSla: t.withinSla,
        serviceLevel: total === 0 ? null : Math.round((t.withinSla / total) * 1000) / 10,
        answeredBy: Object.fromEntries(t.answeredBy),
      };
    });
  }

  private onChanged(call: SimCall): void {
    if (!call.queueDn || this.answered.has(call.id) || call.status !== 'Talking' || call.callee === call.queueDn) return;
    this.answered.add(call.id);
    const q = findQueue(call.queueDn)!;
    const t = this.tallies.get(q.dn)!;
    t.answered++;
    if (this.now() - call.startedAt.getTime() <= q.slaSeconds * 1000) t.withinSla++;
    if (call.agentDn) t.answeredBy.set(call.agentDn, (t.answeredBy.get(call.agentDn) ?? 0) + 1);
  }

  private onEnded(call: SimCall): void {
    if (!call.queueDn) return;
    if (!this.answered.delete(call.id)) this.tallies.get(call.queueDn)!.abandoned++;
  }
}
