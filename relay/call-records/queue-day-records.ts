// Today's queue figures from the PBX's call-centre records, for the
// supervisor view. The database is the PBX's own: at most one aggregate per
// `intervalMs` (default 30 s) for all queues together, never one per queue
// or per viewer, and only while the call-record component is connected.
// A failing query (no `callcent_queuecalls` on this release, a renamed
// column, a timeout) drops the figures, so the supervisor falls back to its
// own observation; it is logged once per failure streak, and the database
// component's health is left alone (cdr-repository.ts `queueDay`).
import type { Clock } from '../core/clock.js';
import { localDayStart } from '../core/local-day.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { CdrPort } from '../pbx/upstream.js';
import type { QueueCallsMapping, QueueDayRow } from '../pbx/queue-calls-query.js';

export const DEFAULT_RECORDS_INTERVAL_MS = 30_000;

/** Counts and sums of one queue for the day so far, from the records. */
export interface QueueDayTotals { answered: number; abandoned: number; withinSla: number; waitS: number; talkS: number }

export interface QueueDaySnapshot {
  /** Local midnight of the day the figures cover. */
  dayStart: number;
  /** When the query ran: the figures hold every call recorded before this. */
  at: number;
  /** The queues the query asked about (a queue asked about without calls has none yet). */
  queues: ReadonlySet<string>;
  perQueue: ReadonlyMap<string, QueueDayTotals>;
  answeredByAgent: ReadonlyMap<string, number>;
}

export interface QueueDayRecordsDeps {
  cdr(): Pick<CdrPort, 'health' | 'queueDay'> | undefined;
  clock: Clock;
  logger: Logger;
  mapping: QueueCallsMapping;
  intervalMs?: number;
  /** A new snapshot arrived (or the last one was dropped). */
  onChange(): void;
}

export function toSnapshot(rows: readonly QueueDayRow[], queues: readonly string[], dayStart: number, at: number): QueueDaySnapshot {
  const perQueue = new Map<string, QueueDayTotals>();
  const answeredByAgent = new Map<string, number>();
  for (const r of rows) {
    if (r.kind === 'queue') perQueue.set(r.key, { answered: r.answered, abandoned: r.abandoned, withinSla: r.withinSla, waitS: r.waitS, talkS: r.talkS });
    else if (r.answered > 0) answeredByAgent.set(r.key, r.answered);
  }
  return { dayStart, at, queues: new Set(queues), perQueue, answeredByAgent };
}

export class QueueDayRecords {
  private readonly intervalMs: number;
  private snapshot: QueueDaySnapshot | null = null;
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastKey = '';
  private inFlight: Promise<void> | null = null;
  private failing = false;
  private closed = false;

  constructor(private readonly deps: QueueDayRecordsDeps) {
    this.intervalMs = deps.intervalMs ?? DEFAULT_RECORDS_INTERVAL_MS;
  }

  /** The figures for today, or null when the records cannot give them (the caller uses its own). */
  current(now: number): QueueDaySnapshot | null {
    const s = this.snapshot;
    return s && s.dayStart === localDayStart(now) ? s : null;
  }

  /**
   * Starts a query when the last one is `intervalMs` old, or the queues asked
   * about changed, or the day turned; otherwise nothing. Never waits for it.
   */
  maybeRefresh(queues: ReadonlyArray<{ number: string; slaSeconds: number }>): Promise<void> | null {
    if (this.closed || this.inFlight || queues.length === 0) return this.inFlight;
    const cdr = this.deps.cdr();
    if (!cdr || cdr.health().state !== 'connected') {
      this.drop();
      return null;
    }
    const now = this.deps.clock.now();
    const dayStart = localDayStart(now);
    const key = `${dayStart}|${queues.map((q) => `${q.number}:${q.slaSeconds}`).join(',')}`;
    if (key === this.lastKey && now - this.lastStart < this.intervalMs) return null;
    this.lastStart = now;
    this.lastKey = key;
    const run = cdr.queueDay({ from: new Date(dayStart), to: new Date(now), queues }, this.deps.mapping).then(
      (rows) => {
        this.snapshot = toSnapshot(rows, queues.map((q) => q.number), dayStart, now);
        if (this.failing) this.deps.logger.info('queue figures from the call records again');
        this.failing = false;
        this.deps.onChange();
      },
      (e: unknown) => {
        // A query cut off by shutdown is no failure worth a warning.
        if (this.closed) return;
        if (!this.failing) {
          this.deps.logger.warn("today's queue figures cannot be read from the call records; showing the relay's own observation", {
            table: this.deps.mapping.table,
            error: describeError(e),
          });
        }
        this.failing = true;
        this.drop();
      },
    ).finally(() => (this.inFlight = null));
    this.inFlight = run;
    return run;
  }

  /** No more queries; one in flight is left to end on its own, quietly. */
  close(): void {
    this.closed = true;
  }

  /** Queries again after close(). */
  open(): void {
    this.closed = false;
  }

  /** Resolves once the query in flight (if any) ended. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private drop(): void {
    if (!this.snapshot) return;
    this.snapshot = null;
    this.deps.onChange();
  }
}
