// The seed's five tables plus sessions and per-day counters. Written once
// with the schema builder for both engines; only the auto-increment id
// column differs, which `idColumn` hides.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { StoreEngine } from '../store-schema.js';
import { idColumn, sqlRoleCheck } from './column-types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema types
type AnyDb = Kysely<any>;

export function migration001(engine: StoreEngine) {
  return {
    async up(db: AnyDb): Promise<void> {
      await idColumn(engine, db.schema.createTable('admin_users'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sqlRoleCheck()))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text')
        .addColumn('password_changed_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('admin_users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

      await db.schema.createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('client_name', 'text', (c) => c.notNull())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .addColumn('request_count', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();

      await idColumn(engine, db.schema.createTable('api_requests'))
        .addColumn('key_id', 'text')
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'real', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('api_requests_at_idx').on('api_requests').column('at').execute();
      await db.schema.createIndex('api_requests_key_at_idx').on('api_requests').columns(['key_id', 'at']).execute();

      await idColumn(engine, db.schema.createTable('error_log'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('last_at', 'text', (c) => c.notNull())
        .addColumn('component', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('details', 'text')
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('acknowledged', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('acknowledged_at', 'text')
        .addColumn('acknowledged_by', 'text')
        .execute();
      // At most one open (unacknowledged) entry per fault: repeats bump it.
      await db.schema.createIndex('error_log_open_uq').on('error_log').column('fingerprint').unique()
        .where(sql<boolean>`acknowledged = 0`).execute();
      await db.schema.createIndex('error_log_component_idx').on('error_log').columns(['component', 'id']).execute();

      await idColumn(engine, db.schema.createTable('connection_status_history'))
        .addColumn('component', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'real')
        .addColumn('error', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('connection_history_component_idx')
        .on('connection_status_history').columns(['component', 'id']).execute();

      await db.schema.createTable('daily_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('count', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('daily_counts_pk', ['day', 'name'])
        .execute();
    },

    async down(db: AnyDb): Promise<void> {
      for (const t of ['daily_counts', 'connection_status_history', 'error_log', 'api_requests', 'api_keys', 'sessions', 'admin_users']) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  };
}
