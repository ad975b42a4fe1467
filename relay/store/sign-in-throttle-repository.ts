// sign_in_throttle: attempt counts per account / device (see
// relay/auth/throttle-policy.ts). Each change is read-decide-write in one
// transaction with the row locked, so parallel attempts are counted one by
// one, on SQLite (one writer) and PostgreSQL (FOR UPDATE) alike.
import type { Kysely } from 'kysely';
import { isoAt, type StoreEngine, type StoreSchema } from './store-schema.js';

/** One key's count; times in ms (the same shape as the auth layer's ThrottleState). */
export interface ThrottleState {
  attempts: number;
  windowStartedAt: number;
  nextAllowedAt: number;
}

export class SignInThrottleRepository {
  constructor(private readonly db: Kysely<StoreSchema>, private readonly engine: StoreEngine) {}

  /**
   * Applies `decide` to the key's state; when it returns a `next` state that
   * is written (null deletes the row). Returns what `decide` returned.
   * `now` is the caller's clock, for a row made before deciding.
   */
  async update<R extends { next?: ThrottleState | null }>(key: string, now: number, decide: (state: ThrottleState | null) => R): Promise<R> {
    return this.db.transaction().execute(async (trx) => {
      if (this.engine === 'postgres') {
        // FOR UPDATE locks only a row that exists: make it exist first, so two
        // first attempts on a new key cannot both read "no row". A fresh row
        // (nothing charged, nothing to wait for) means the same as no row.
        const at = isoAt(now);
        await trx.insertInto('sign_in_throttle').values({ key, attempts: 0, window_started_at: at, next_allowed_at: at })
          .onConflict((oc) => oc.column('key').doNothing()).execute();
      }
      let q = trx.selectFrom('sign_in_throttle').select(['attempts', 'window_started_at', 'next_allowed_at']).where('key', '=', key);
      if (this.engine === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      const result = decide(row ? { attempts: row.attempts, windowStartedAt: Date.parse(row.window_started_at), nextAllowedAt: Date.parse(row.next_allowed_at) } : null);
      if (result.next === null) {
        await trx.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
      } else if (result.next) {
        const values = { attempts: result.next.attempts, window_started_at: isoAt(result.next.windowStartedAt), next_allowed_at: isoAt(result.next.nextAllowedAt) };
        await trx.insertInto('sign_in_throttle').values({ key, ...values })
          .onConflict((oc) => oc.column('key').doUpdateSet(values)).execute();
      }
      return result;
    });
  }

  async get(key: string): Promise<ThrottleState | null> {
    const row = await this.db.selectFrom('sign_in_throttle').select(['attempts', 'window_started_at', 'next_allowed_at'])
      .where('key', '=', key).executeTakeFirst();
    return row ? { attempts: row.attempts, windowStartedAt: Date.parse(row.window_started_at), nextAllowedAt: Date.parse(row.next_allowed_at) } : null;
  }
}
