// agent_audit: who logged which agent in or out of the queues, newest first.
import type { Kysely } from 'kysely';
import { isoAt, type StoreSchema } from './store-schema.js';

export interface AgentAuditEntry { id: number; at: string; actor: string; extension: string; action: string }

export class AgentAuditRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async record(e: { actor: string; extension: string; action: string }, now: number): Promise<void> {
    await this.db.insertInto('agent_audit').values({ at: isoAt(now), actor: e.actor, extension: e.extension, action: e.action }).execute();
  }

  async list(limit = 100): Promise<AgentAuditEntry[]> {
    const rows = await this.db.selectFrom('agent_audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: Number(r.id), at: r.at, actor: r.actor, extension: r.extension, action: r.action }));
  }
}
