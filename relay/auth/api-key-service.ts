// API keys for local integrations. A key is `rk_<id>_<secret>`: the public
// id finds the row by primary key (O(1), no scan), the 256-bit secret is
// checked by comparing SHA-256 digests in constant time. Only the digest is
// stored; the key is returned once, by create().
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ApiKeyInfo, CreatedApiKey, Permission } from '../contract/api-types.js';
import { createApiKeyBody } from '../contract/schemas.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { RelayError } from '../core/relay-error.js';
import type { ApiKeyRepository } from '../store/api-key-repository.js';
import { isoAt } from '../store/store-schema.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import { parseInput } from '../core/parse-input.js';
import { digestsEqual, randomToken, sha256Hex } from './token-digest.js';

export const API_KEY_WARNING = 'Copy this key now: it is shown only once and cannot be recovered. Anyone holding it can use the relay API with its permissions.';

/** What a request learns about the key it presented. */
export interface AuthenticatedKey {
  id: string;
  clientName: string;
  permissions: Permission[];
}

export type ApiKeyServiceEvents = {
  /** A key was revoked: close its open WebSockets. */
  revoked: [id: string];
};

const KEY_PATTERN = /^rk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const ID_BYTES = 6;

function newKeyId(): string {
  return crypto.randomBytes(ID_BYTES).toString('hex');
}

/** Splits a presented key; null when it is not of our format. */
export function parseApiKey(presented: string): { id: string; secret: string } | null {
  const m = KEY_PATTERN.exec(presented);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

interface CachedKey {
  keyHash: string;
  key: AuthenticatedKey;
}

export class ApiKeyService extends EventEmitter<ApiKeyServiceEvents> {
  /**
   * Active keys already verified once, by id. revoke() drops the entry
   * before it returns, and `epoch` stops a lookup that raced a revocation
   * from putting the old row back, so revocation holds on the next request.
   */
  private readonly cache = new Map<string, CachedKey>();
  private epoch = 0;
  /**
   * Every key that passed authenticate() and is not known to be revoked:
   * the ones that may hold open WebSockets here. resync() checks them,
   * whether or not they are still cached.
   */
  private readonly verified = new Set<string>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly deps: { clock: Clock; logger: Logger },
  ) {
    super();
  }

  async create(clientName: string, permissions: Permission[], createdBy: string | null): Promise<CreatedApiKey> {
    const input = parseInput(createApiKeyBody, { clientName, permissions }, 'API key');
    for (let attempt = 0; ; attempt++) {
      const id = newKeyId();
      const apiKey = `rk_${id}_${randomToken()}`;
      try {
        await this.keys.insert({
          id,
          keyHash: sha256Hex(apiKey),
          clientName: input.clientName,
          permissions: input.permissions,
          createdBy,
          at: isoAt(this.deps.clock.now()),
        });
      } catch (e) {
        // 48-bit ids: a clash is rare; try a fresh id a few times.
        if (isUniqueViolation(e) && attempt < 3) continue;
        throw e;
      }
      this.deps.logger.info('api key created', { keyId: id, clientName: input.clientName, permissions: input.permissions, createdBy });
      return { id, apiKey, warning: API_KEY_WARNING };
    }
  }

  /** The key's identity and permissions, or null for a malformed, unknown, wrong or revoked key. */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    const parts = parseApiKey(presented);
    if (!parts) return null;
    const digest = sha256Hex(presented);
    const cached = this.cache.get(parts.id);
    if (cached) return digestsEqual(digest, cached.keyHash) ? cached.key : null;
    const epoch = this.epoch;
    const row = await this.keys.findById(parts.id);
    if (!row || !row.active) return null;
    if (!digestsEqual(digest, row.keyHash)) return null;
    const key: AuthenticatedKey = { id: row.id, clientName: row.clientName, permissions: row.permissions };
    if (epoch === this.epoch) this.cache.set(row.id, { keyHash: row.keyHash, key });
    this.verified.add(row.id);
    return key;
  }

  /** Deactivates the key (kept for audit) and emits `revoked`. 404 when no such key. */
  async revoke(id: string): Promise<void> {
    this.epoch++;
    this.cache.delete(id);
    const found = await this.keys.deactivate(id, isoAt(this.deps.clock.now()));
    this.epoch++;
    this.cache.delete(id);
    if (!found) throw RelayError.notFound('no API key with this id');
    this.deps.logger.info('api key revoked', { keyId: id });
    this.verified.delete(id);
    this.emit('revoked', id);
  }

  /**
   * Another relay of the team revoked this key (the store already says so):
   * forget it here as revoke() would, and emit `revoked` so its WebSockets
   * on this relay close too.
   */
  forgetRevoked(id: string): void {
    this.epoch++;
    this.cache.delete(id);
    this.verified.delete(id);
    this.emit('revoked', id);
  }

  /**
   * Revocations made elsewhere may have gone unheard (the team bus lost its
   * connection): forget every verified key, and emit `revoked` for each one
   * this relay verified that the store no longer holds active, so sockets
   * opened with it close. Returns those ids.
   */
  async resync(): Promise<string[]> {
    this.epoch++;
    this.cache.clear();
    if (this.verified.size === 0) return [];
    const active = new Set((await this.keys.list()).filter((k) => k.active).map((k) => k.id));
    const gone = [...this.verified].filter((id) => !active.has(id));
    for (const id of gone) {
      this.verified.delete(id);
      this.emit('revoked', id);
    }
    if (gone.length) this.deps.logger.info('api keys revoked elsewhere while the team bus was away', { keyIds: gone });
    return gone;
  }

  list(): Promise<ApiKeyInfo[]> {
    return this.keys.list();
  }
}
