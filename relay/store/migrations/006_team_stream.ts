// Team mode's stream (issue 14): the leader's frames in order of their team
// `seq` (a follower reads here what NOTIFY could not carry, or what it missed
// while its connection was down; pruned to the last N), and the live state
// followers serve instead of asking 3CX, one row per part. Both hold the JSON
// as text, byte for byte as the leader serialised it, so a follower's clients
// get the same bytes as the leader's. Only a PostgreSQL store forms a team;
// the tables exist on the embedded engine too so both schemas stay one.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
type AnyDb = Kysely<any>;

export function migration006() {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.createTable('team_frames')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('frame', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('team_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('team_state').execute();
      await db.schema.dropTable('team_frames').execute();
    },
  };
}
