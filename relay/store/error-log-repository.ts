// error_log: the error feed. A fault that repeats while its entry is still
// unacknowledged bumps that entry (occurrences, last_at: the dashboard's
// "×N", N more like this) instead of adding a row, so a flapping upstream
// leaves one entry, not thousands. The table is bounded by count and by age,
// unacknowledged entries included: whatever happens, it cannot grow without
// limit (retention's 90 days for acknowledged entries still applies).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { SEVERITIES } from '../contract/api-types.js';
import type { ErrorComponent, ErrorEntry, ErrorQuery, Severity } from '../contract/api-types.js';
import type { ErrorLogTable, StoreSchema } from './store-schema.js';
import { isUniqueViolation } from './unique-violation.js';

export interface NewError {
  component: ErrorComponent;
  severity: Severity;
  message: string;
  details?: unknown;
  at: string;
}

export interface RecordedError {
  entry: ErrorEntry;
  /** True when an open entry with the same component and message was bumped. */
  repeated: boolean;
}

export interface ErrorSummary {
  unacknowledged: number;
  total: number;
  /** Over all entries, acknowledged or not (sums to `total`). */
  bySeverity: Record<Severity, number>;
}

export interface ErrorFeedBounds {
  /** Entries kept at most; the ones seen least recently go first. */
  maxEntries: number;
  /** Entries last seen longer ago than this are deleted, acknowledged or not. */
  maxAgeMs: number;
}
export const DEFAULT_ERROR_FEED_BOUNDS: ErrorFeedBounds = { maxEntries: 1000, maxAgeMs: 180 * 86_400_000 };

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

export function errorFingerprint(component: string, message: string): string {
  return crypto.createHash('sha256').update(component).update('\0').update(message).digest('hex');
}

function parseDetails(s: string | null): unknown {
  if (s == null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

function toEntry(r: Selectable<ErrorLogTable>): ErrorEntry {
  return {
    id: r.id,
    at: r.at,
    component: r.component,
    severity: r.severity,
    message: r.message,
    details: parseDetails(r.details),
    acknowledged: r.acknowledged === 1,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
    occurrences: r.occurrences,
    lastAt: r.last_at,
  };
}

export class ErrorLogRepository {
  constructor(private readonly db: Kysely<StoreSchema>, private readonly bounds: ErrorFeedBounds = DEFAULT_ERROR_FEED_BOUNDS) {}

  async insert(e: NewError): Promise<ErrorEntry> {
    const row = await this.db.insertInto('error_log').values({
      at: e.at,
      last_at: e.at,
      component: e.component,
      severity: e.severity,
      message: e.message,
      details: e.details === undefined || e.details === null ? null : JSON.stringify(e.details),
      fingerprint: errorFingerprint(e.component, e.message),
      occurrences: 1,
      acknowledged: 0,
    }).returningAll().executeTakeFirstOrThrow();
    return toEntry(row);
  }

  /** The newest unacknowledged entry with this component and message. */
  async findOpenDuplicate(component: ErrorComponent, message: string): Promise<ErrorEntry | null> {
    const row = await this.db.selectFrom('error_log').selectAll()
      .where('fingerprint', '=', errorFingerprint(component, message))
      // A literal, not a parameter, so SQLite can prove the partial index applies.
      .where(sql<boolean>`acknowledged = 0`)
      .executeTakeFirst();
    // The digest is the index; comparing the text too rules out a collision.
    return row && row.component === component && row.message === message ? toEntry(row) : null;
  }

  /** One more occurrence of an open entry; keeps the worst severity seen. */
  async bump(id: number, at: string, severity?: Severity): Promise<ErrorEntry | null> {
    const row = await this.db.updateTable('error_log')
      .set((eb) => ({ occurrences: eb('occurrences', '+', 1), last_at: at }))
      .where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) return null;
    if (severity && SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(row.severity)) {
      const raised = await this.db.updateTable('error_log').set({ severity }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      return toEntry(raised);
    }
    return toEntry(row);
  }

  /**
   * Insert, or bump the open duplicate, in one transaction. A unique index
   * allows one open entry per fault, so two writers racing on PostgreSQL
   * cannot both insert: the loser retries and bumps.
   */
  async record(e: NewError): Promise<RecordedError> {
    try {
      return await this.recordOnce(e);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return this.recordOnce(e);
    }
  }

  private recordOnce(e: NewError): Promise<RecordedError> {
    return this.db.transaction().execute(async (trx) => {
      const repo = new ErrorLogRepository(trx, this.bounds);
      const open = await repo.findOpenDuplicate(e.component, e.message);
      if (open) {
        const entry = await repo.bump(open.id, e.at, e.severity);
        if (entry) return { entry, repeated: true };
      }
      const entry = await repo.insert(e);
      // Only a new row can cross the bounds; bumps leave the count as it is.
      await repo.enforceBounds(e.at, entry.id);
      return { entry, repeated: false };
    });
  }

  async get(id: number): Promise<ErrorEntry | null> {
    const row = await this.db.selectFrom('error_log').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEntry(row) : null;
  }

  /** Newest first; `before` pages by id. */
  async list(q: ErrorQuery = {}): Promise<ErrorEntry[]> {
    let query = this.db.selectFrom('error_log').selectAll();
    if (q.component) query = query.where('component', '=', q.component);
    if (q.severity) query = query.where('severity', '=', q.severity);
    if (q.acknowledged !== undefined) query = query.where('acknowledged', '=', q.acknowledged ? 1 : 0);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    const limit = Math.min(Math.max(1, q.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toEntry);
  }

  /** False when no such entry. Acknowledging twice keeps the first time and person. */
  async acknowledge(id: number, by: string | null, at: string): Promise<boolean> {
    const r = await this.db.updateTable('error_log')
      .set((eb) => ({
        acknowledged: 1,
        acknowledged_at: eb.fn.coalesce('acknowledged_at', eb.val(at)),
        acknowledged_by: eb.fn.coalesce('acknowledged_by', eb.val(by)),
      }))
      .where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async countUnacknowledged(): Promise<number> {
    const r = await this.db.selectFrom('error_log').select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('acknowledged', '=', 0).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async summary(): Promise<ErrorSummary> {
    const rows = await this.db.selectFrom('error_log')
      .select((eb) => ['severity', 'acknowledged', eb.fn.countAll<number | string>().as('n')])
      .groupBy(['severity', 'acknowledged']).execute();
    const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    let total = 0;
    let unacknowledged = 0;
    for (const r of rows) {
      const n = Number(r.n);
      total += n;
      if (r.acknowledged === 0) unacknowledged += n;
      if (r.severity in bySeverity) bySeverity[r.severity] += n;
    }
    return { unacknowledged, total, bySeverity };
  }

  /** Deletes entries past the bounds (never `keepId`, the one just written). */
  async enforceBounds(now: string, keepId: number): Promise<number> {
    const cutoff = new Date(Date.parse(now) - this.bounds.maxAgeMs).toISOString();
    const old = await this.db.deleteFrom('error_log').where('last_at', '<', cutoff).where('id', '!=', keepId).executeTakeFirst();
    // The table holds at most maxEntries + 1 rows here, so ordering it is cheap.
    const beyond = await this.db.selectFrom('error_log').select('id')
      .orderBy('last_at', 'desc').orderBy('id', 'desc').offset(this.bounds.maxEntries).limit(1000).execute();
    const ids = beyond.map((r) => r.id).filter((id) => id !== keepId);
    const extra = ids.length ? await this.db.deleteFrom('error_log').where('id', 'in', ids).executeTakeFirst() : null;
    return Number(old.numDeletedRows) + Number(extra?.numDeletedRows ?? 0);
  }

  /** Retention: acknowledged entries whose last occurrence is older than `before`. */
  async pruneAcknowledgedBefore(before: string): Promise<number> {
    const r = await this.db.deleteFrom('error_log').where('acknowledged', '=', 1).where('last_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
