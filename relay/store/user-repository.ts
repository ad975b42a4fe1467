// admin_users: the people who may sign in to the dashboard / admin API.
import type { Kysely } from 'kysely';
import type { AdminUserInfo, Role } from '../contract/api-types.js';
import type { StoreEngine, StoreSchema } from './store-schema.js';

export interface UserRecord {
  id: number;
  username: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  lastLoginAt: string | null;
  passwordChangedAt: string;
}

export type RemoveUserResult = 'removed' | 'not_found' | 'last_admin';

// Selected under the record's own names, so rows need no mapping.
const RECORD_COLUMNS = [
  'id', 'username', 'role', 'password_hash as passwordHash', 'created_at as createdAt',
  'last_login_at as lastLoginAt', 'password_changed_at as passwordChangedAt',
] as const;

export class UserRepository {
  constructor(private readonly db: Kysely<StoreSchema>, private readonly engine: StoreEngine) {}

  async findByUsername(username: string): Promise<UserRecord | null> {
    const row = await this.db.selectFrom('admin_users').select(RECORD_COLUMNS).where('username', '=', username).executeTakeFirst();
    return row ?? null;
  }

  async list(): Promise<AdminUserInfo[]> {
    const rows = await this.db.selectFrom('admin_users')
      .select(['username', 'role', 'created_at', 'last_login_at']).orderBy('username').execute();
    return rows.map((r) => ({ username: r.username, role: r.role, createdAt: r.created_at, lastLoginAt: r.last_login_at }));
  }

  /** Throws the engine's unique-violation error when the name is taken (see isUniqueViolation). */
  async insert(u: { username: string; passwordHash: string; role: Role; at: string }): Promise<UserRecord> {
    return this.db.insertInto('admin_users')
      .values({ username: u.username, password_hash: u.passwordHash, role: u.role, created_at: u.at, password_changed_at: u.at })
      .returning(RECORD_COLUMNS).executeTakeFirstOrThrow();
  }

  async countAdmins(): Promise<number> {
    const r = await this.db.selectFrom('admin_users').select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin').executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * Deletes the user unless it is the last admin, as one statement that
   * counts the admins itself. SQLite runs one writer at a time, so that is
   * enough there. PostgreSQL (READ COMMITTED) gives two concurrent removals of
   * two different admins a snapshot each in which the other still exists:
   * both would delete and leave none. There the admin rows are locked first,
   * so the second removal waits, then counts again with the first one's
   * delete committed.
   */
  async removeUnlessLastAdmin(username: string): Promise<RemoveUserResult> {
    const deleted = await this.db.transaction().execute(async (trx) => {
      if (this.engine === 'postgres') {
        await trx.selectFrom('admin_users').select('id').where('role', '=', 'admin').forUpdate().execute();
      }
      const res = await trx.deleteFrom('admin_users')
        .where('username', '=', username)
        .where((eb) => eb.or([
          eb('role', '!=', 'admin'),
          eb(eb.selectFrom('admin_users').select((s) => s.fn.countAll().as('n')).where('role', '=', 'admin'), '>', 1),
        ]))
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    });
    if (deleted) return 'removed';
    return (await this.findByUsername(username)) ? 'last_admin' : 'not_found';
  }

  async setPasswordHash(username: string, passwordHash: string, at: string): Promise<boolean> {
    const res = await this.db.updateTable('admin_users')
      .set({ password_hash: passwordHash, password_changed_at: at })
      .where('username', '=', username).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async touchLogin(id: number, at: string): Promise<void> {
    await this.db.updateTable('admin_users').set({ last_login_at: at }).where('id', '=', id).execute();
  }
}
