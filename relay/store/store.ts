// The relay's own tables behind one object: open (SQLite in a data dir by
// default, PostgreSQL for a postgres:// URL), migrate, hand out the
// repositories, close. The composition root owns the only instance.
import { Kysely, Migrator, sql } from 'kysely';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { RelayError } from '../core/relay-error.js';
import { ApiKeyRepository } from './api-key-repository.js';
import { ApiRequestRepository } from './api-request-repository.js';
import { ConnectionHistoryRepository } from './connection-history-repository.js';
import { DailyCountRepository, utcDay } from './daily-count-repository.js';
import { ErrorLogRepository } from './error-log-repository.js';
import { migrationProvider } from './migrations/migration-provider.js';
import { openPostgresDialect } from './open-postgres.js';
import { openSqliteDialect } from './open-sqlite.js';
import { RequestLogWriter } from './request-log-writer.js';
import { SessionRepository } from './session-repository.js';
import type { StoreEngine, StoreSchema } from './store-schema.js';
import { isoAt } from './store-schema.js';
import { UserRepository } from './user-repository.js';

export type StoreLocation = { dataDir: string } | { url: string };

export interface StoreOptions {
  clock?: Clock;
  /** Request-log flush interval; default 1000 ms. */
  flushIntervalMs?: number;
  /** PostgreSQL pool size; default 10. */
  poolMax?: number;
}

export interface RetentionPolicy {
  /** api_requests older than this many days; default 30. */
  requestDays?: number;
  /** connection_status_history rows kept per component; default 1000. */
  historyPerComponent?: number;
  /** Acknowledged error_log entries last seen more than this many days ago; default 90. */
  acknowledgedErrorDays?: number;
  /** daily_counts days kept; default 400. */
  dailyCountDays?: number;
}

export interface PruneResult {
  requests: number;
  history: number;
  errors: number;
  dailyCounts: number;
  sessions: number;
}

export interface Store {
  readonly db: Kysely<StoreSchema>;
  readonly engine: StoreEngine;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly apiRequests: ApiRequestRepository;
  readonly errors: ErrorLogRepository;
  readonly connections: ConnectionHistoryRepository;
  readonly dailyCounts: DailyCountRepository;
  /** Batched request log + per-key usage + day counters; started by openStore, flushed by close(). */
  readonly requestLog: RequestLogWriter;
  /** Round trip to the engine; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Retention; the owner of the periodic timer calls it (e.g. hourly). */
  prune(policy?: RetentionPolicy): Promise<PruneResult>;
  /** Flushes the request log, then closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

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
  return new KyselyStore(db, engine, clock, log, opts);
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

class KyselyStore implements Store {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly apiRequests: ApiRequestRepository;
  readonly errors: ErrorLogRepository;
  readonly connections: ConnectionHistoryRepository;
  readonly dailyCounts: DailyCountRepository;
  readonly requestLog: RequestLogWriter;
  private closing: Promise<void> | null = null;

  constructor(
    readonly db: Kysely<StoreSchema>,
    readonly engine: StoreEngine,
    private readonly clock: Clock,
    logger: Logger,
    opts: StoreOptions,
  ) {
    this.users = new UserRepository(db);
    this.sessions = new SessionRepository(db);
    this.apiKeys = new ApiKeyRepository(db);
    this.apiRequests = new ApiRequestRepository(db);
    this.errors = new ErrorLogRepository(db);
    this.connections = new ConnectionHistoryRepository(db);
    this.dailyCounts = new DailyCountRepository(db);
    this.requestLog = new RequestLogWriter(db, { clock, logger, flushIntervalMs: opts.flushIntervalMs });
    this.requestLog.start();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async prune(policy: RetentionPolicy = {}): Promise<PruneResult> {
    const now = this.clock.now();
    return {
      requests: await this.apiRequests.pruneBefore(isoAt(now - (policy.requestDays ?? 30) * DAY_MS)),
      history: await this.connections.pruneBeyond(policy.historyPerComponent ?? 1000),
      errors: await this.errors.pruneAcknowledgedBefore(isoAt(now - (policy.acknowledgedErrorDays ?? 90) * DAY_MS)),
      dailyCounts: await this.dailyCounts.pruneBefore(utcDay(now - (policy.dailyCountDays ?? 400) * DAY_MS)),
      sessions: await this.sessions.deleteExpired(isoAt(now)),
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.requestLog.stop();
      await this.db.destroy();
    })();
    return this.closing;
  }
}
