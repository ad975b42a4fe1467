// Team mode (issue 14): the relays sharing this store, each upserting its row
// every second. A row unseen for a while is a member gone; it is left out of
// health and pruned. Both engines get the table so the schema stays one,
// though only PostgreSQL stores form teams.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
type AnyDb = Kysely<any>;

export function migration005() {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.createTable('team_members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('since', 'text', (c) => c.notNull())
        .addColumn('last_seq', 'bigint', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('team_members_seen_at_idx').on('team_members').column('seen_at').execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('team_members').execute();
    },
  };
}
