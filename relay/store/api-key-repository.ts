// api_keys: integration keys, stored as digest + public id (never the key).
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeyInfo, Permission } from '../contract/api-types.js';
import type { ApiKeysTable, StoreSchema } from './store-schema.js';
import { toNumber } from './store-schema.js';

export interface ApiKeyRecord {
  id: string;
  keyHash: string;
  clientName: string;
  permissions: Permission[];
  active: boolean;
  createdAt: string;
  createdBy: string | null;
  revokedAt: string | null;
}

export interface NewApiKey {
  id: string;
  keyHash: string;
  clientName: string;
  permissions: Permission[];
  createdBy: string | null;
  at: string;
}

export function parsePermissions(s: string): Permission[] {
  return s.split(',').filter((p): p is Permission => p === 'read' || p === 'control');
}

function toInfo(r: Selectable<ApiKeysTable>): ApiKeyInfo {
  return {
    id: r.id,
    clientName: r.client_name,
    permissions: parsePermissions(r.permissions),
    active: r.active === 1,
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastUsedAt: r.last_used_at,
    requestCount: toNumber(r.request_count),
  };
}

export class ApiKeyRepository {
  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Throws the engine's unique-violation error on an id clash (see isUniqueViolation). */
  async insert(k: NewApiKey): Promise<void> {
    await this.db.insertInto('api_keys').values({
      id: k.id,
      key_hash: k.keyHash,
      client_name: k.clientName,
      permissions: k.permissions.join(','),
      active: 1,
      created_at: k.at,
      created_by: k.createdBy,
      request_count: 0,
    }).execute();
  }

  async findById(id: string): Promise<ApiKeyRecord | null> {
    const r = await this.db.selectFrom('api_keys')
      .select(['id', 'key_hash as keyHash', 'client_name as clientName', 'permissions', 'active', 'created_at as createdAt', 'created_by as createdBy', 'revoked_at as revokedAt'])
      .where('id', '=', id).executeTakeFirst();
    return r ? { ...r, permissions: parsePermissions(r.permissions), active: r.active === 1 } : null;
  }

  /** Newest first; without digests. */
  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc').orderBy('id').execute();
    return rows.map(toInfo);
  }

  async info(id: string): Promise<ApiKeyInfo | null> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toInfo(r) : null;
  }

  /** Marks the key inactive (row kept for audit). False when no such key. */
  async deactivate(id: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('api_keys')
      .set((eb) => ({ active: 0, revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)) }))
      .where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
