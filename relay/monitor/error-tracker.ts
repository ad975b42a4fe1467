// The error feed's front door: every component reports faults here. Each
// report is redacted, then either bumps the open (unacknowledged) entry for
// the same fault or creates one, so a flapping upstream leaves one entry with
// a growing `occurrences`, not thousands of rows. "Same fault" means same
// component and same message once numbers, ids and addresses are blanked out
// ("connect ECONNREFUSED 127.0.0.1:5433" repeats "... 127.0.0.1:5432").
// Each logged entry is announced: as an `error_logged` frame for dashboard
// sockets and as the `logged` event the desktop shell turns into
// notifications.
import { EventEmitter } from 'node:events';
import type { ErrorComponent, ErrorEntry, ErrorQuery, Severity } from '../contract/api-types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { redact, redactString } from '../core/redact.js';
import { RelayError } from '../core/relay-error.js';
import type { FramePublisher } from '../events/event-hub.js';
import type { ErrorLogRepository } from '../store/error-log-repository.js';

export interface ErrorReport {
  component: ErrorComponent;
  severity: Severity;
  message: string;
  details?: unknown;
}

/** The parts of the store's error_log repository the tracker uses. */
export type ErrorFeedStore = Pick<ErrorLogRepository, 'record' | 'list' | 'get' | 'acknowledge' | 'summary'>;

export interface ErrorTrackerDeps {
  store: ErrorFeedStore;
  /** Where `error_logged` frames go (admin sockets). */
  hub?: FramePublisher;
  clock?: Clock;
  logger?: Logger;
  /** Secret values to mask wherever they appear in a message or details. */
  secrets?: () => readonly string[];
  /** Reports of one fault waiting to be written at most; more are counted in the log and dropped. */
  maxQueuedPerFault?: number;
}

export type ErrorTrackerEvents = {
  /** `isNew`: a new entry (false: an open entry was bumped). */
  logged: [entry: ErrorEntry, isNew: boolean];
};

const MAX_MESSAGE = 1000;
const MAX_REMEMBERED_FAULTS = 1000;

/** The part of a message that identifies the fault: lower-case, numbers/ids/hex blanked, spaces collapsed. */
export function normalizeErrorMessage(message: string): string {
  return message
    .toLowerCase()
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '#')
    .replace(/\b0x[0-9a-f]+\b/g, '#')
    .replace(/\b[0-9a-f]*\d[0-9a-f]*\b/g, (m) => (m.length >= 8 || /^\d+$/.test(m) ? '#' : m))
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

interface FaultQueue { tail: Promise<unknown>; queued: number; dropped: number }

export class ErrorTracker extends EventEmitter<ErrorTrackerEvents> {
  private readonly store: ErrorFeedStore;
  private readonly hub: FramePublisher | undefined;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly secrets: () => readonly string[];
  private readonly maxQueued: number;
  // Reports of one fault are written one after another, so two of them never
  // both find "no open entry" and both insert.
  private readonly queues = new Map<string, FaultQueue>();
  // fingerprint -> text of the open entry that stands for it (stored messages keep their numbers).
  private readonly openMessages = new Map<string, string>();

  constructor(deps: ErrorTrackerDeps) {
    super();
    this.store = deps.store;
    this.hub = deps.hub;
    this.clock = deps.clock ?? systemClock;
    this.logger = (deps.logger ?? silentLogger).child({ component: 'error-tracker' });
    this.secrets = deps.secrets ?? (() => []);
    this.maxQueued = deps.maxQueuedPerFault ?? 100;
  }

  /** Logs one fault. Never rejects: a failing store is reported to the log and yields null. */
  record(report: ErrorReport): Promise<ErrorEntry | null> {
    const secrets = this.secrets();
    const message = redactString(report.message, secrets).slice(0, MAX_MESSAGE) || 'unknown error';
    const details = report.details === undefined ? undefined : redact(report.details, secrets);
    const fingerprint = `${report.component}\0${normalizeErrorMessage(message)}`;
    let queue = this.queues.get(fingerprint);
    if (!queue) {
      queue = { tail: Promise.resolve(), queued: 0, dropped: 0 };
      this.queues.set(fingerprint, queue);
    }
    if (queue.queued >= this.maxQueued) {
      // A storm of one fault: the queued writes already bump it; more would only grow memory.
      queue.dropped++;
      return Promise.resolve(null);
    }
    queue.queued++;
    const q = queue;
    const run = q.tail.then(() => this.write(fingerprint, { ...report, message, details }));
    q.tail = run.finally(() => {
      q.queued--;
      if (q.queued === 0) {
        if (q.dropped) this.logger.warn('error reports dropped during a storm', { component: report.component, dropped: q.dropped });
        this.queues.delete(fingerprint);
      }
    });
    return run;
  }

  private async write(fingerprint: string, report: ErrorReport): Promise<ErrorEntry | null> {
    try {
      const at = new Date(this.clock.now()).toISOString();
      const known = this.openMessages.get(fingerprint) ?? (await this.findOpenMessage(report.component, fingerprint));
      const { entry, repeated } = await this.store.record({ ...report, message: known ?? report.message, at });
      if (this.openMessages.size >= MAX_REMEMBERED_FAULTS) this.openMessages.clear(); // a cache: the store still dedupes exact repeats
      this.openMessages.set(fingerprint, entry.message);
      this.hub?.publish({ type: 'error_logged', data: entry });
      this.emit('logged', entry, !repeated);
      return entry;
    } catch (e) {
      // The feed itself failed (store down): the log is the last resort; never throw at the reporter.
      this.logger.error('could not record an error in the feed', { err: e, component: report.component, message: report.message });
      return null;
    }
  }

  /** After a restart the cache is empty: look among this component's open entries once. */
  private async findOpenMessage(component: ErrorComponent, fingerprint: string): Promise<string | null> {
    const open = await this.store.list({ component, acknowledged: false, limit: 200 });
    const match = open.find((e) => `${e.component}\0${normalizeErrorMessage(e.message)}` === fingerprint);
    return match ? match.message : null;
  }

  list(query: ErrorQuery = {}): Promise<ErrorEntry[]> {
    return this.store.list(query);
  }

  /** Marks an entry acknowledged; RelayError not_found (404) when there is none. */
  async acknowledge(id: number, by: string | null = null): Promise<ErrorEntry> {
    const ok = await this.store.acknowledge(id, by, new Date(this.clock.now()).toISOString());
    const entry = ok ? await this.store.get(id) : null;
    if (!entry) throw RelayError.notFound(`no error entry with id ${id}`);
    // The next occurrence of this fault starts a new entry.
    const fingerprint = `${entry.component}\0${normalizeErrorMessage(entry.message)}`;
    if (this.openMessages.get(fingerprint) === entry.message) this.openMessages.delete(fingerprint);
    return entry;
  }

  /** Counts for the dashboard's stats. */
  summary(): ReturnType<ErrorFeedStore['summary']> {
    return this.store.summary();
  }

  /** Waits for every queued report to be written (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()].map((q) => q.tail));
  }
}
