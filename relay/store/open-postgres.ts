// The server engine: a pg Pool on a `postgres://` store URL.
import pg from 'pg';
import { PostgresDialect } from 'kysely';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';

export function openPostgresDialect(url: string, logger: Logger, opts: { poolMax?: number } = {}): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolMax ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: '3cx-relay-store',
  });
  // An idle client losing its server emits on the pool; unhandled it would
  // crash the process. The next query gets a fresh client.
  pool.on('error', (e) => logger.warn('store connection lost', { error: describeError(e) }));
  // A client checked out for a query has no pool listener: its connection
  // ending mid-query (a server restart, a reset path to a shared store) emits
  // 'error' on the client, which would crash the process too. The query
  // itself fails with the error; this only keeps the event handled.
  pool.on('connect', (client) => {
    client.on('error', (e) => logger.debug('store connection ended under a query', { error: describeError(e) }));
  });
  return { dialect: new PostgresDialect({ pool }), pool };
}
