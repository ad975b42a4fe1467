// Audit trail of supervisor actions on the PBX (issue 13): who logged which
// agent in or out of the queues, and when.
import type { Kysely } from 'kysely';
import type { StoreEngine } from '../store-schema.js';
import { idColumn } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
type AnyDb = Kysely<any>;

export function migration003(engine: StoreEngine) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(engine, db.schema.createTable('agent_audit'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('extension', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_audit_at').on('agent_audit').column('at').execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('agent_audit').execute();
    },
  };
}
