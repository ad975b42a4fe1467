// sessions: server-side admin sessions, keyed by the token's digest.
import type { Kysely } from 'kysely';
import type { Role } from '../contract/api-types.js';
import type { StoreSchema } from './store-schema.js';

export interface NewSession {
  tokenHash: string;
  userId: number;
  at: string;
  expiresAt: string;
  absoluteExpiresAt: string;
  address: string | null;
}

export interface SessionRecord {
  tokenHash: string;
  userId: number;
  username: string;
  role: Role;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  absoluteExpiresAt: string;
}

export class SessionRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  async insert(s: NewSession): Promise<void> {
    await this.db.insertInto('sessions').values({
      token_hash: s.tokenHash,
      user_id: s.userId,
      created_at: s.at,
      last_seen_at: s.at,
      expires_at: s.expiresAt,
      absolute_expires_at: s.absoluteExpiresAt,
      address: s.address,
    }).execute();
  }

  /** The session with its user, if it exists and has not expired at `now`. */
  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const r = await this.db.selectFrom('sessions')
      .innerJoin('admin_users', 'admin_users.id', 'sessions.user_id')
      .select([
        'sessions.token_hash', 'sessions.user_id', 'admin_users.username', 'admin_users.role', 'sessions.created_at',
        'sessions.last_seen_at', 'sessions.expires_at', 'sessions.absolute_expires_at',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (!r) return null;
    return {
      tokenHash: r.token_hash,
      userId: r.user_id,
      username: r.username,
      role: r.role,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      absoluteExpiresAt: r.absolute_expires_at,
    };
  }

  async extend(tokenHash: string, lastSeenAt: string, expiresAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where('token_hash', '=', tokenHash).execute();
  }

  async delete(tokenHash: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async deleteForUser(username: string): Promise<number> {
    const r = await this.db.deleteFrom('sessions')
      .where('user_id', 'in', (eb) => eb.selectFrom('admin_users').select('id').where('username', '=', username))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async deleteExpired(now: string): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
