// api_requests: one row per integration request, written in batches by the
// RequestLogWriter; read here for the dashboard's per-key figures.
import type { Kysely } from 'kysely';
import type { KeyRequestStats } from '../contract/api-types.js';
import type { StoreSchema } from './store-schema.js';
import { toNumber } from './store-schema.js';

export interface ApiRequestEntry {
  keyId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** ISO-8601. */
  at: string;
}

// 7 bound values per row; stays far below SQLite's and PostgreSQL's
// parameter limits (32,766 / 65,535).
const ROWS_PER_INSERT = 1000;

export class ApiRequestRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async insertMany(entries: readonly ApiRequestEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
      const chunk = entries.slice(i, i + ROWS_PER_INSERT);
      await this.db.insertInto('api_requests').values(chunk.map((e) => ({
        key_id: e.keyId,
        method: e.method,
        path: e.path,
        status: e.status,
        duration_ms: e.durationMs,
        at: e.at,
      }))).execute();
    }
  }

  /**
   * Per key: all-time request count (kept on the key row, so it survives
   * pruning) and requests since `since` (typically one hour ago).
   * Active keys and revoked keys that still had traffic since `since`.
   */
  async perKey(since: string): Promise<KeyRequestStats[]> {
    const rows = await this.db.selectFrom('api_keys')
      .leftJoin(
        (eb) => eb.selectFrom('api_requests').select((s) => ['key_id', s.fn.countAll<number | string>().as('n')])
          .where('at', '>=', since).groupBy('key_id').as('recent'),
        (join) => join.onRef('recent.key_id', '=', 'api_keys.id'),
      )
      .select(['api_keys.id', 'api_keys.client_name', 'api_keys.request_count', 'api_keys.active', 'recent.n'])
      .orderBy('api_keys.created_at', 'desc').orderBy('api_keys.id')
      .execute();
    return rows
      .filter((r) => r.active === 1 || toNumber(r.n) > 0)
      .map((r) => ({ keyId: r.id, clientName: r.client_name, requests: toNumber(r.request_count), lastHour: toNumber(r.n) }));
  }

  /** Requests logged since `since`, for one key or all. */
  async countSince(since: string, keyId?: string): Promise<number> {
    let q = this.db.selectFrom('api_requests').select((eb) => eb.fn.countAll<number | string>().as('n')).where('at', '>=', since);
    if (keyId !== undefined) q = q.where('key_id', '=', keyId);
    const r = await q.executeTakeFirstOrThrow();
    return toNumber(r.n);
  }

  /** Retention: rows older than `before`. */
  async pruneBefore(before: string): Promise<number> {
    const r = await this.db.deleteFrom('api_requests').where('at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
