// alert_rules: the thresholds supervisors set. Quiet hours are one JSON
// column: they are only ever read and written with their rule.
import type { Kysely, Selectable } from 'kysely';
import type { AlertRule, AlertRuleInput, QuietHours } from '../contract/supervisor-types.js';
import type { AlertRulesTable, StoreSchema } from './store-schema.js';

function parseQuietHours(s: string): QuietHours[] {
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) ? (v as QuietHours[]) : [];
  } catch {
    return [];
  }
}

function toRule(r: Selectable<AlertRulesTable>): AlertRule {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    threshold: Number(r.threshold),
    queueId: r.queue_id,
    severity: r.severity,
    quietHours: parseQuietHours(r.quiet_hours),
    cooldownS: r.cooldown_s,
    enabled: r.enabled === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function columns(rule: AlertRuleInput) {
  return {
    name: rule.name,
    kind: rule.kind,
    threshold: rule.threshold,
    queue_id: rule.queueId,
    severity: rule.severity,
    quiet_hours: JSON.stringify(rule.quietHours),
    cooldown_s: rule.cooldownS,
    enabled: rule.enabled ? 1 : 0,
  };
}

export class AlertRuleRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async insert(rule: AlertRuleInput, createdBy: string, at: string): Promise<AlertRule> {
    const row = await this.db.insertInto('alert_rules')
      .values({ ...columns(rule), created_by: createdBy, created_at: at, updated_at: at })
      .returningAll().executeTakeFirstOrThrow();
    return toRule(row);
  }

  /** Null when no such rule. */
  async update(id: number, rule: AlertRuleInput, at: string): Promise<AlertRule | null> {
    const row = await this.db.updateTable('alert_rules').set({ ...columns(rule), updated_at: at })
      .where('id', '=', id).returningAll().executeTakeFirst();
    return row ? toRule(row) : null;
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async get(id: number): Promise<AlertRule | null> {
    const row = await this.db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRule(row) : null;
  }

  async list(): Promise<AlertRule[]> {
    const rows = await this.db.selectFrom('alert_rules').selectAll().orderBy('id').execute();
    return rows.map(toRule);
  }
}
