// API keys against a real store on both engines.
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiKeyService, API_KEY_WARNING } from '../../../relay/auth/api-key-service.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ENGINES, openTestStore } from '../store/test-store.js';
import type { TestStore } from '../store/test-store.js';

describe.each(ENGINES)('ApiKeyService on %s', (engine) => {
  let t: TestStore;
  let clock: ManualClock;
  let keys: ApiKeyService;
  let sink: ReturnType<typeof memorySink>;

  beforeEach(async () => {
    clock = new ManualClock();
    t = await openTestStore(engine, { clock });
    sink = memorySink();
    keys = new ApiKeyService(t.store.apiKeys, { clock, logger: createLogger(sink, { level: 'debug' }) });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.cleanup();
  });

  it('creates a 256-bit key shown once, and authenticates it', async () => {
    const created = await keys.create('crm', ['read'], 'alice');
    expect(created.warning).toBe(API_KEY_WARNING);
    expect(created.apiKey).toMatch(new RegExp(`^rk_${created.id}_[A-Za-z0-9_-]{43}$`));
    expect(Buffer.from(created.apiKey.split('_').slice(2).join('_'), 'base64url')).toHaveLength(32);
    expect(await keys.authenticate(created.apiKey)).toEqual({ id: created.id, clientName: 'crm', permissions: ['read'] });
    // Twice: the second answer comes from the cache and must agree.
    expect(await keys.authenticate(created.apiKey)).toEqual({ id: created.id, clientName: 'crm', permissions: ['read'] });
    const other = await keys.create('wallboard', ['control', 'control'], null);
    expect(other.apiKey).not.toBe(created.apiKey);
    expect((await keys.authenticate(other.apiKey))?.permissions).toEqual(['control']);
  });

  it('refuses wrong, unknown, malformed and cross-wired keys', async () => {
    const a = await keys.create('a', ['read'], null);
    const b = await keys.create('b', ['read'], null);
    await keys.authenticate(a.apiKey); // warm the cache: a wrong secret must still fail
    const secretA = a.apiKey.slice(`rk_${a.id}_`.length);
    const secretB = b.apiKey.slice(`rk_${b.id}_`.length);
    const flipped = secretA.slice(0, -1) + (secretA.endsWith('A') ? 'B' : 'A');
    for (const bad of [`rk_${a.id}_${flipped}`, `rk_${a.id}_${secretB}`, `rk_${b.id}_${secretA}`, `rk_000000000000_${secretA}`, 'rk_x', '', a.apiKey.toUpperCase(), `${a.apiKey}\n`]) {
      expect(await keys.authenticate(bad)).toBeNull();
    }
  });

  it('compares digests with crypto.timingSafeEqual', async () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    const a = await keys.create('a', ['read'], null);
    await keys.authenticate(a.apiKey);
    await keys.authenticate(`${a.apiKey.slice(0, -2)}xx`);
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.results.map((r) => r.value)).toEqual([true, false]);
  });

  it('stores only a SHA-256 digest of the key', async () => {
    const a = await keys.create('a', ['read'], null);
    const row = await t.store.db.selectFrom('api_keys').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    const secret = a.apiKey.slice(`rk_${a.id}_`.length);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row.key_hash).toBe(crypto.createHash('sha256').update(a.apiKey).digest('hex'));
    const listed = JSON.stringify(await keys.list());
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain(row.key_hash);
    expect(JSON.stringify(sink.records)).not.toContain(secret);
  });

  it('revocation takes effect on the next request, emits revoked, and keeps the row', async () => {
    const a = await keys.create('a', ['read'], null);
    const revoked: string[] = [];
    keys.on('revoked', (id) => revoked.push(id));
    expect(await keys.authenticate(a.apiKey)).not.toBeNull();
    await keys.revoke(a.id);
    expect(await keys.authenticate(a.apiKey)).toBeNull();
    expect(revoked).toEqual([a.id]);
    expect((await keys.list()).find((k) => k.id === a.id)).toMatchObject({ active: false, clientName: 'a' });
    const missing = await keys.revoke('ffffffffffff').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RelayError);
    expect(missing).toMatchObject({ status: 404 });
    // A fresh service (restart) reads the revocation from the store.
    const restarted = new ApiKeyService(t.store.apiKeys, { clock, logger: createLogger(sink) });
    expect(await restarted.authenticate(a.apiKey)).toBeNull();
  });

  it('a lookup racing a revocation never resurrects the key', async () => {
    for (let round = 0; round < 10; round++) {
      const k = await keys.create(`race${round}`, ['read'], null);
      const lookups = Array.from({ length: 5 }, () => keys.authenticate(k.apiKey));
      await keys.revoke(k.id);
      await Promise.all(lookups);
      expect(await keys.authenticate(k.apiKey)).toBeNull();
    }
  });

  it('counts usage per key through the batched request log', async () => {
    const a = await keys.create('a', ['read'], null);
    for (let i = 0; i < 3; i++) t.store.requestLog.record({ keyId: a.id, method: 'GET', path: '/relay/active-calls', status: 200, durationMs: 1 });
    await t.store.requestLog.flush();
    expect((await keys.list()).find((k) => k.id === a.id)).toMatchObject({ requestCount: 3, lastUsedAt: new Date(clock.now()).toISOString() });
  });

  it('validates its input like the admin API does', async () => {
    await expect(keys.create('', ['read'], null)).rejects.toMatchObject({ status: 400 });
    await expect(keys.create('x', [], null)).rejects.toMatchObject({ status: 400 });
    await expect(keys.create('x', ['admin' as 'read'], null)).rejects.toMatchObject({ status: 400 });
  });
});
