// Today's queue figures (answered, abandoned, service level, average wait and
// talk, answered per agent) DERIVED FROM THE RELAY'S OWN OBSERVATION of the
// system-wide active-call list, since the PBX's local midnight (core/local-day.ts).
// This is the FALLBACK: when the call records are connected, today's figures
// come from 3CX's call-centre table instead (call-records/queue-day-records.ts,
// source `cdr`). What the fallback means for a supervisor:
//  - calls handled while the relay was not running are not counted (after a
//    restart mid-day the figures start from zero);
//  - a call is seen as a queue call only if the relay saw it waiting
//    (XAPI `Talking` with `Callee` = the queue) in some list it read;
//  - times have the list's resolution (3CX gives seconds; the list is read on
//    every Call Control change and at least every few seconds).
// The figures' `asOf` is the time of the last list observed (docs/admin-api.md).
import type { ActiveCall } from '../contract/api-types.js';
import { localDayStart } from '../core/local-day.js';

/** `"800 Sales"` → `"800"`: XAPI names a DN party by its number, then its name. */
export function partyNumber(party: string): string {
  return party.trim().split(/\s+/, 1)[0] ?? '';
}

export interface QueueDay {
  answered: number;
  abandoned: number;
  answeredWithinSla: number;
  /** Percent of answered + abandoned answered within the SLA; null with none yet. */
  serviceLevel: number | null;
  avgWaitS: number | null;
  avgTalkS: number | null;
}

/**
 * The day's figures from its counts and sums, one rounding for every source
 * (this ledger and the call records): percent and seconds to one decimal.
 */
export function dayFigures(t: Tally | null): QueueDay {
  t ??= emptyTally();
  const decided = t.answered + t.abandoned;
  return {
    answered: t.answered,
    abandoned: t.abandoned,
    answeredWithinSla: t.withinSla,
    serviceLevel: decided === 0 ? null : Math.round((t.withinSla / decided) * 1000) / 10,
    avgWaitS: t.answered === 0 ? null : Math.round(t.waitMs / t.answered / 100) / 10,
    avgTalkS: t.talked === 0 ? null : Math.round(t.talkMs / t.talked / 100) / 10,
  };
}

interface Tracked { queue: string; startedMs: number; answeredMs: number | null; agent: string | null }
export interface Tally { answered: number; abandoned: number; withinSla: number; waitMs: number; talkMs: number; talked: number }

const emptyTally = (): Tally => ({ answered: 0, abandoned: 0, withinSla: 0, waitMs: 0, talkMs: 0, talked: 0 });

function timeOf(iso: string | null | undefined, fallback: number): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(t) ? t : fallback;
}

export class QueueDayLedger {
  private readonly tracked = new Map<number, Tracked>();
  private tallies = new Map<string, Tally>();
  private answeredBy = new Map<string, number>();
  private dayStart: number | null = null;
  private observedAt: number | null = null;

  /** Feeds one active-call list read at `at`; `queues` maps a queue number to its SLA seconds. */
  observe(calls: readonly ActiveCall[], queues: ReadonlyMap<string, number>, at: number): void {
    const day = localDayStart(at);
    if (day !== this.dayStart) {
      this.dayStart = day;
      this.tallies = new Map();
      this.answeredBy = new Map();
    }
    this.observedAt = at;
    const present = new Set<number>();
    for (const c of calls) {
      present.add(c.Id);
      const callee = partyNumber(c.Callee);
      let t = this.tracked.get(c.Id);
      if (!t && c.Status === 'Talking' && queues.has(callee)) {
        t = { queue: callee, startedMs: timeOf(c.EstablishedAt ?? c.LastChangeStatus, at), answeredMs: null, agent: null };
        this.tracked.set(c.Id, t);
      }
      if (t && t.answeredMs === null && c.Status === 'Talking' && callee !== t.queue) {
        // Waiting is `Talking` too: a pick-up straight from the queue may leave
        // LastChangeStatus at the call's start; then the observation time is the best known.
        const changed = timeOf(c.LastChangeStatus, at);
        t.answeredMs = changed > t.startedMs ? changed : at;
        t.agent = callee;
        if (t.answeredMs >= day) {
          const tally = this.tally(t.queue);
          const wait = Math.max(0, t.answeredMs - t.startedMs);
          tally.answered++;
          tally.waitMs += wait;
          if (wait <= (queues.get(t.queue) ?? 0) * 1000) tally.withinSla++;
          this.answeredBy.set(callee, (this.answeredBy.get(callee) ?? 0) + 1);
        }
      }
    }
    for (const [id, t] of this.tracked) {
      if (present.has(id)) continue;
      this.tracked.delete(id);
      if (at < day) continue;
      const tally = this.tally(t.queue);
      if (t.answeredMs === null) tally.abandoned++;
      else {
        tally.talkMs += Math.max(0, at - t.answeredMs);
        tally.talked++;
      }
    }
  }

  /** When the last list was observed (ms); null before the first. */
  asOf(): number | null {
    return this.observedAt;
  }

  day(queue: string): QueueDay {
    return dayFigures(this.tallies.get(queue) ?? null);
  }

  answeredByAgent(extension: string): number {
    return this.answeredBy.get(extension) ?? 0;
  }

  private tally(queue: string): Tally {
    let t = this.tallies.get(queue);
    if (!t) this.tallies.set(queue, (t = emptyTally()));
    return t;
  }
}
