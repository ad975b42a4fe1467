// daily_counts: named per-day totals (call events, calls) that the dashboard
// shows as "today", kept across restarts. Days are local ones (relay/core/local-day.ts).
import type { Kysely } from 'kysely';
import type { StoreSchema } from './store-schema.js';
import { toNumber } from './store-schema.js';

export class DailyCountRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async add(name: string, day: string, n: number): Promise<void> {
    if (n === 0) return;
    await this.db.insertInto('daily_counts').values({ day, name, count: n })
      .onConflict((oc) => oc.columns(['day', 'name']).doUpdateSet((eb) => ({ count: eb('daily_counts.count', '+', eb.ref('excluded.count')) })))
      .execute();
  }

  async get(name: string, day: string): Promise<number> {
    const r = await this.db.selectFrom('daily_counts').select('count').where('day', '=', day).where('name', '=', name).executeTakeFirst();
    return toNumber(r?.count);
  }

  /** Retention: days before `beforeDay` (YYYY-MM-DD). */
  async pruneBefore(beforeDay: string): Promise<number> {
    const r = await this.db.deleteFrom('daily_counts').where('day', '<', beforeDay).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
