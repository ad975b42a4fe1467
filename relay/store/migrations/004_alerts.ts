// Alert rules a supervisor sets and the history of their firing (issue 13):
// each fire is one history row, updated in place when it clears or is
// acknowledged. History keeps the rule's name and severity as they were and
// no foreign key, so deleting a rule leaves its past alerts readable.
import type { Kysely } from 'kysely';
import type { StoreEngine } from '../store-schema.js';
import { idColumn } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
type AnyDb = Kysely<any>;

export function migration004(engine: StoreEngine) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(engine, db.schema.createTable('alert_rules'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('threshold', 'real', (c) => c.notNull())
        .addColumn('queue_id', 'integer')
        .addColumn('severity', 'text', (c) => c.notNull())
        /** JSON array of QuietHours. */
        .addColumn('quiet_hours', 'text', (c) => c.notNull())
        .addColumn('cooldown_s', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await idColumn(engine, db.schema.createTable('alert_history'))
        .addColumn('rule_id', 'integer', (c) => c.notNull())
        .addColumn('rule_name', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('fired_at', 'text', (c) => c.notNull())
        .addColumn('cleared_at', 'text')
        .addColumn('acknowledged_by', 'text')
        .addColumn('acknowledged_at', 'text')
        .addColumn('silenced', 'integer', (c) => c.notNull())
        .execute();
      // The engine reloads open alerts (not cleared) at start; the API filters by state.
      await db.schema.createIndex('alert_history_rule_open_idx').on('alert_history').columns(['rule_id', 'cleared_at']).execute();
      await db.schema.createIndex('alert_history_state_idx').on('alert_history').columns(['state', 'id']).execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('alert_history').execute();
      await db.schema.dropTable('alert_rules').execute();
    },
  };
}
