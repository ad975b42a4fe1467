// Sign-in throttling that survives a restart (issue 12): per-account and
// per-device attempt counts, and the relay's own secrets (the HMAC key that
// signs device tokens lives here rather than in a config file).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
type AnyDb = Kysely<any>;

export function migration002() {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema.createTable('sign_in_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('next_allowed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('relay_secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: AnyDb): Promise<void> {
      await db.schema.dropTable('relay_secrets').execute();
      await db.schema.dropTable('sign_in_throttle').execute();
    },
  };
}
