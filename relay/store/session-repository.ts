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

  /** The session with its user, if it exists and has not expired at `now`. */
  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const r = await this.db.selectFrom('sessions')
      .innerJoin('admin_users', 'admin_users.id', 'sessions.user_id')
      .select([
        'sessions.token_hash as tokenHash', 'sessions.user_id as userId', 'admin_users.username', 'admin_users.role',
        'sessions.created_at as createdAt', 'sessions.last_seen_at as lastSeenAt', 'sessions.expires_at as expiresAt',
        'sessions.absolute_expires_at as absoluteExpiresAt',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    return r ?? null;
  }

  /** `tokenHash` is the token's digest; the token itself never reaches the store. */
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
