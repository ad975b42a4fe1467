// The relay's own tables behind one object: open (SQLite in a data dir by
// default, PostgreSQL for a postgres:// URL), migrate, hand out the
// repositories, close. The composition root owns the only instance.
import { Kysely, Migrator, sql } from 'kysely';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { RelayError } from '../core/relay-error.js';
import { migrationProvider } from './migrations/migration-provider.js';
import { openPostgresDialect } from './open-postgres.js';
import { openSqliteDialect } from './open-sqlite.js';
import { RequestLogWriter } from './request-log-writer.js';
import { createRepositories } from './store-repositories.js';
import type { StoreRepositories } from './store-repositories.js';
import { pruneStore } from './store-retention.js';
import type { PruneResult, RetentionPolicy } from './store-retention.js';

export type { PruneResult, RetentionPolicy };
import type { StoreEngine, StoreSchema } from './store-schema.js';

export type StoreLocation = { dataDir: string } | { url: string };

export interface StoreOptions {
  clock?: Clock;
  /** Request-log flush interval; default 1000 ms. */
  flushIntervalMs?: number;
  /** PostgreSQL pool size; default 10. */
  poolMax?: number;
}

export interface Store extends StoreRepositories {
  readonly db: Kysely<StoreSchema>;
  readonly engine: StoreEngine;
  /** Batched request log + per-key usage + day counters; started by openStore, flushed by close(). */
  readonly requestLog: RequestLogWriter;
  /** Round trip to the engine; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Retention (see store-retention.ts); the owner of the periodic timer calls it, e.g. hourly. */
  prune(policy?: RetentionPolicy): Promise<PruneResult>;
  /** Flushes the request log, then closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export async function openStore(location: StoreLocation, logger: Logger, opts: StoreOptions = {}): Promise<Store> {
  const clock = opts.clock ?? systemClock;
  let engine: StoreEngine;
  let db: Kysely<StoreSchema>;
  if ('url' in location) {
    if (!isPostgresUrl(location.url)) throw RelayError.badRequest('the store URL must start with postgres:// or postgresql://');
    engine = 'postgres';
    db = new Kysely<StoreSchema>({ dialect: openPostgresDialect(location.url, logger, { poolMax: opts.poolMax }).dialect });
  } else {
    engine = 'sqlite';
    db = new Kysely<StoreSchema>({ dialect: openSqliteDialect(location.dataDir) });
  }
  const log = logger.child({ component: 'store', engine });
  try {
    await migrate(db, engine, log);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const repos = createRepositories(db, engine);
  const requestLog = new RequestLogWriter(db, { clock, logger: log, flushIntervalMs: opts.flushIntervalMs });
  requestLog.start();
  let closing: Promise<void> | null = null;
  return {
    ...repos,
    db,
    engine,
    requestLog,
    ping: async () => void (await sql`select 1`.execute(db)),
    prune: (policy) => pruneStore(repos, clock.now(), policy),
    close() {
      closing ??= requestLog.stop().then(() => db.destroy());
      return closing;
    },
  };
}

async function migrate(db: Kysely<StoreSchema>, engine: StoreEngine, log: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(engine) });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === 'Success') log.info('store migration applied', { migration: r.migrationName });
    else if (r.status === 'Error') log.error('store migration failed', { migration: r.migrationName });
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
