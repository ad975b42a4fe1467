// connection_status_history: every state change of the three upstream
// components, for the Connections page.
import type { Kysely } from 'kysely';
import { COMPONENTS } from '../contract/api-types.js';
import type { ComponentName, ConnectionHistoryEntry } from '../contract/api-types.js';
import type { StoreSchema } from './store-schema.js';

export class ConnectionHistoryRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async insert(component: ComponentName, e: ConnectionHistoryEntry): Promise<void> {
    await this.db.insertInto('connection_status_history')
      .values({ component, state: e.state, latency_ms: e.latencyMs, error: e.error, at: e.at }).execute();
  }

  /** Newest first. */
  async recent(component: ComponentName, limit = 50): Promise<ConnectionHistoryEntry[]> {
    const rows = await this.db.selectFrom('connection_status_history')
      .select(['state', 'latency_ms', 'error', 'at'])
      .where('component', '=', component).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ at: r.at, state: r.state, latencyMs: r.latency_ms, error: r.error }));
  }

  /** The last recorded entry of each component that has one. */
  async latest(): Promise<Partial<Record<ComponentName, ConnectionHistoryEntry>>> {
    const out: Partial<Record<ComponentName, ConnectionHistoryEntry>> = {};
    for (const c of COMPONENTS) {
      const [e] = await this.recent(c, 1);
      if (e) out[c] = e;
    }
    return out;
  }

  /** Retention: keep the newest `keep` entries per component. Returns rows deleted. */
  async pruneBeyond(keep: number): Promise<number> {
    let deleted = 0;
    for (const c of COMPONENTS) {
      const cutoff = await this.db.selectFrom('connection_status_history').select('id')
        .where('component', '=', c).orderBy('id', 'desc').offset(keep).limit(1).executeTakeFirst();
      if (!cutoff) continue;
      const r = await this.db.deleteFrom('connection_status_history')
        .where('component', '=', c).where('id', '<=', cutoff.id).executeTakeFirst();
      deleted += Number(r.numDeletedRows);
    }
    return deleted;
  }
}
