// alert_history: one row per firing, updated in place when it clears and
// when someone acknowledges it. `state` is the latest of those transitions.
import type { Kysely, Selectable } from 'kysely';
import type { Severity } from '../contract/api-types.js';
import type { AlertEntry, AlertHistoryQuery } from '../contract/supervisor-types.js';
import type { AlertHistoryTable, StoreSchema } from './store-schema.js';

export interface NewAlert {
  ruleId: number;
  rule: string;
  severity: Severity;
  message: string;
  firedAt: string;
  silenced: boolean;
}

export type { AlertHistoryQuery };

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 500;

function toEntry(r: Selectable<AlertHistoryTable>): AlertEntry {
  return {
    id: r.id,
    ruleId: r.rule_id,
    rule: r.rule_name,
    severity: r.severity,
    state: r.state,
    message: r.message,
    firedAt: r.fired_at,
    clearedAt: r.cleared_at,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    silenced: r.silenced === 1,
  };
}

export class AlertHistoryRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async fire(a: NewAlert): Promise<AlertEntry> {
    const row = await this.db.insertInto('alert_history').values({
      rule_id: a.ruleId, rule_name: a.rule, severity: a.severity, state: 'fired', message: a.message,
      fired_at: a.firedAt, cleared_at: null, acknowledged_by: null, acknowledged_at: null, silenced: a.silenced ? 1 : 0,
    }).returningAll().executeTakeFirstOrThrow();
    return toEntry(row);
  }

  /** Null when the entry is unknown or already cleared. */
  async clear(id: number, at: string): Promise<AlertEntry | null> {
    const row = await this.db.updateTable('alert_history').set({ state: 'cleared', cleared_at: at })
      .where('id', '=', id).where('cleared_at', 'is', null).returningAll().executeTakeFirst();
    return row ? toEntry(row) : null;
  }

  /**
   * Null when no such entry. Acknowledging twice keeps the first person and
   * time, and is not a new transition (`changed: false`).
   */
  async acknowledge(id: number, by: string, at: string): Promise<{ entry: AlertEntry; changed: boolean } | null> {
    const row = await this.db.updateTable('alert_history').set({ state: 'acknowledged', acknowledged_by: by, acknowledged_at: at })
      .where('id', '=', id).where('acknowledged_at', 'is', null).returningAll().executeTakeFirst();
    if (row) return { entry: toEntry(row), changed: true };
    const existing = await this.get(id);
    return existing ? { entry: existing, changed: false } : null;
  }

  async get(id: number): Promise<AlertEntry | null> {
    const row = await this.db.selectFrom('alert_history').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toEntry(row) : null;
  }

  /** Alerts still firing (not cleared), oldest first. */
  async open(): Promise<AlertEntry[]> {
    const rows = await this.db.selectFrom('alert_history').selectAll().where('cleared_at', 'is', null).orderBy('id').execute();
    return rows.map(toEntry);
  }

  /** Retention: entries cleared before `before` (open ones stay, however old). */
  async pruneClearedBefore(before: string): Promise<number> {
    const r = await this.db.deleteFrom('alert_history').where('cleared_at', 'is not', null).where('cleared_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** Newest first; `before` pages by id. */
  async list(q: AlertHistoryQuery = {}): Promise<AlertEntry[]> {
    let query = this.db.selectFrom('alert_history').selectAll();
    if (q.state) query = query.where('state', '=', q.state);
    if (q.before !== undefined) query = query.where('id', '<', q.before);
    const limit = Math.min(Math.max(1, q.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
    return (await query.orderBy('id', 'desc').limit(limit).execute()).map(toEntry);
  }
}
