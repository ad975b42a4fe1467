// The store suite, run against both engines: the same repositories and
// migrations must behave identically on SQLite and PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { localDay } from '../../../relay/core/local-day.js';
import { createLogger, memorySink, silentLogger } from '../../../relay/core/logger.js';
import { RequestLogWriter } from '../../../relay/store/request-log-writer.js';
import { openStore } from '../../../relay/store/store.js';
import { SQLITE_FILE_NAME } from '../../../relay/store/open-sqlite.js';
import { isoAt } from '../../../relay/store/store-schema.js';
import { isUniqueViolation } from '../../../relay/store/unique-violation.js';
import type { Store } from '../../../relay/store/store.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ENGINES, openTestStore } from './test-store.js';
import type { TestStore } from './test-store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(ENGINES)('store on %s', (engine) => {
  let t: TestStore;
  let store: Store;
  let clock: ManualClock;
  const at = (offsetMs = 0) => isoAt(clock.now() + offsetMs);

  beforeEach(async () => {
    clock = new ManualClock();
    t = await openTestStore(engine, { clock });
    store = t.store;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('migrates once and keeps data across a reopen', async () => {
    expect(store.engine).toBe(engine);
    await store.users.insert({ username: 'alice', passwordHash: 'h', role: 'admin', at: at() });
    store = await t.reopen();
    expect((await store.users.list()).map((u) => u.username)).toEqual(['alice']);
    await store.ping();
  });

  it('two admins removed at the same moment: one goes, the other stays as the last admin', async () => {
    for (let round = 0; round < 8; round++) {
      await store.users.insert({ username: `a${round}`, passwordHash: 'h', role: 'admin', at: at() });
      await store.users.insert({ username: `b${round}`, passwordHash: 'h', role: 'admin', at: at() });
      const results = await Promise.all([store.users.removeUnlessLastAdmin(`a${round}`), store.users.removeUnlessLastAdmin(`b${round}`)]);
      expect(results.sort()).toEqual(['last_admin', 'removed']);
      expect(await store.users.countAdmins()).toBe(1);
      const [survivor] = await store.users.list();
      await store.db.deleteFrom('admin_users').where('username', '=', survivor!.username).execute();
    }
  });

  it('admin users: unique names, last admin kept, password and login times', async () => {
    await store.users.insert({ username: 'alice', passwordHash: 'h1', role: 'admin', at: at() });
    await store.users.insert({ username: 'bob', passwordHash: 'h2', role: 'viewer', at: at() });
    const dup = await store.users.insert({ username: 'alice', passwordHash: 'x', role: 'viewer', at: at() }).catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    expect(await store.users.countAdmins()).toBe(1);
    expect(await store.users.removeUnlessLastAdmin('alice')).toBe('last_admin');
    expect(await store.users.removeUnlessLastAdmin('nobody')).toBe('not_found');
    await store.users.insert({ username: 'carol', passwordHash: 'h3', role: 'admin', at: at() });
    expect(await store.users.removeUnlessLastAdmin('alice')).toBe('removed');
    expect(await store.users.removeUnlessLastAdmin('carol')).toBe('last_admin');
    expect(await store.users.removeUnlessLastAdmin('bob')).toBe('removed');

    expect(await store.users.setPasswordHash('carol', 'h4', at(1000))).toBe(true);
    expect(await store.users.setPasswordHash('nobody', 'h4', at())).toBe(false);
    const carol = await store.users.findByUsername('carol');
    expect(carol).toMatchObject({ passwordHash: 'h4', passwordChangedAt: at(1000), lastLoginAt: null, role: 'admin' });
    await store.users.touchLogin(carol!.id, at(2000));
    expect(await store.users.list()).toEqual([{ username: 'carol', role: 'admin', createdAt: at(), lastLoginAt: at(2000) }]);
  });

  it('sessions: expiry, extension, revocation, and removal with their user', async () => {
    const u = await store.users.insert({ username: 'alice', passwordHash: 'h', role: 'admin', at: at() });
    const v = await store.users.insert({ username: 'bob', passwordHash: 'h', role: 'viewer', at: at() });
    const base = { userId: u.id, at: at(), expiresAt: at(HOUR), absoluteExpiresAt: at(DAY), address: '127.0.0.1' };
    await store.sessions.insert({ ...base, tokenHash: 'a1' });
    await store.sessions.insert({ ...base, tokenHash: 'a2' });
    await store.sessions.insert({ ...base, userId: v.id, tokenHash: 'b1' });
    expect(await store.sessions.findActive('a1', at())).toMatchObject({ username: 'alice', role: 'admin', userId: u.id });
    expect(await store.sessions.findActive('a1', at(HOUR))).toBeNull();
    await store.sessions.extend('a1', at(HOUR - 1), at(2 * HOUR));
    expect(await store.sessions.findActive('a1', at(HOUR))).toMatchObject({ lastSeenAt: at(HOUR - 1), expiresAt: at(2 * HOUR) });
    expect(await store.sessions.delete('a1')).toBe(true);
    expect(await store.sessions.delete('a1')).toBe(false);
    expect(await store.sessions.deleteForUser('alice')).toBe(1);
    expect(await store.sessions.findActive('a2', at())).toBeNull();
    // ON DELETE CASCADE (needs foreign_keys=ON on SQLite).
    expect(await store.users.removeUnlessLastAdmin('bob')).toBe('removed');
    expect(await store.sessions.findActive('b1', at())).toBeNull();
    await store.sessions.insert({ ...base, tokenHash: 'old', expiresAt: at(-1) });
    expect(await store.sessions.deleteExpired(at())).toBe(1);
  });

  it('api keys: digest row, listing without secrets, deactivation kept for audit', async () => {
    await store.apiKeys.insert({ id: 'aaaaaaaaaaaa', keyHash: 'f'.repeat(64), clientName: 'crm', permissions: ['read', 'control'], createdBy: 'alice', at: at() });
    await store.apiKeys.insert({ id: 'bbbbbbbbbbbb', keyHash: 'e'.repeat(64), clientName: 'wallboard', permissions: ['read'], createdBy: null, at: at(1) });
    const dup = await store.apiKeys.insert({ id: 'aaaaaaaaaaaa', keyHash: 'x', clientName: 'x', permissions: ['read'], createdBy: null, at: at() }).catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    expect(await store.apiKeys.findById('aaaaaaaaaaaa')).toMatchObject({ keyHash: 'f'.repeat(64), permissions: ['read', 'control'], active: true });
    expect(await store.apiKeys.findById('nope')).toBeNull();
    const list = await store.apiKeys.list();
    expect(list.map((k) => k.id)).toEqual(['bbbbbbbbbbbb', 'aaaaaaaaaaaa']);
    expect(list[1]).toEqual({
      id: 'aaaaaaaaaaaa', clientName: 'crm', permissions: ['read', 'control'], active: true, createdAt: at(), createdBy: 'alice', lastUsedAt: null, requestCount: 0,
    });
    expect(JSON.stringify(list)).not.toContain('f'.repeat(64));
    expect(await store.apiKeys.deactivate('aaaaaaaaaaaa', at(5))).toBe(true);
    expect(await store.apiKeys.deactivate('aaaaaaaaaaaa', at(9))).toBe(true);
    expect(await store.apiKeys.deactivate('nope', at())).toBe(false);
    expect(await store.apiKeys.findById('aaaaaaaaaaaa')).toMatchObject({ active: false, revokedAt: at(5) });
  });

  it('error log: a repeat bumps the open entry, an acknowledged one starts a new entry', async () => {
    const first = await store.errors.record({ component: 'xapi', severity: 'warning', message: 'token endpoint 500', details: { status: 500 }, at: at() });
    expect(first.repeated).toBe(false);
    expect(first.entry).toMatchObject({ occurrences: 1, details: { status: 500 }, acknowledged: false, at: at(), lastAt: at() });
    const again = await store.errors.record({ component: 'xapi', severity: 'error', message: 'token endpoint 500', at: at(1000) });
    expect(again).toMatchObject({ repeated: true, entry: { id: first.entry.id, occurrences: 2, severity: 'error', at: at(), lastAt: at(1000) } });
    const lower = await store.errors.record({ component: 'xapi', severity: 'info', message: 'token endpoint 500', at: at(2000) });
    expect(lower.entry).toMatchObject({ occurrences: 3, severity: 'error' });
    const other = await store.errors.record({ component: 'callcontrol', severity: 'error', message: 'token endpoint 500', at: at(3000) });
    expect(other.repeated).toBe(false);

    expect(await store.errors.acknowledge(first.entry.id, 'alice', at(4000))).toBe(true);
    expect(await store.errors.acknowledge(first.entry.id, 'bob', at(5000))).toBe(true);
    expect(await store.errors.acknowledge(999_999, 'bob', at())).toBe(false);
    expect(await store.errors.get(first.entry.id)).toMatchObject({ acknowledged: true, acknowledgedBy: 'alice', acknowledgedAt: at(4000) });
    const after = await store.errors.record({ component: 'xapi', severity: 'warning', message: 'token endpoint 500', at: at(6000) });
    expect(after.repeated).toBe(false);
    expect(after.entry.id).not.toBe(first.entry.id);
  });

  it('error log: concurrent repeats of one fault leave one entry', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) =>
      store.errors.record({ component: 'database', severity: 'error', message: 'connection refused', at: at(i) })));
    const list = await store.errors.list({ component: 'database' });
    expect(list).toHaveLength(1);
    expect(list[0]!.occurrences).toBe(20);
  });

  it('error log: filters, newest first, paging with before, counts', async () => {
    const comps = ['xapi', 'callcontrol', 'database'] as const;
    const sevs = ['info', 'warning', 'error', 'critical'] as const;
    for (let i = 0; i < 12; i++) {
      await store.errors.insert({ component: comps[i % 3]!, severity: sevs[i % 4]!, message: `fault ${i}`, at: at(i) });
    }
    const all = await store.errors.list({ limit: 500 });
    expect(all.map((e) => e.message)).toEqual(Array.from({ length: 12 }, (_, i) => `fault ${11 - i}`));
    await store.errors.acknowledge(all[0]!.id, null, at());
    await store.errors.acknowledge(all[1]!.id, null, at());

    expect((await store.errors.list({ component: 'xapi' })).map((e) => e.message)).toEqual(['fault 9', 'fault 6', 'fault 3', 'fault 0']);
    expect((await store.errors.list({ severity: 'critical' })).map((e) => e.message)).toEqual(['fault 11', 'fault 7', 'fault 3']);
    expect((await store.errors.list({ acknowledged: true })).map((e) => e.message)).toEqual(['fault 11', 'fault 10']);
    expect(await store.errors.list({ acknowledged: false })).toHaveLength(10);
    expect((await store.errors.list({ component: 'xapi', severity: 'critical' })).map((e) => e.message)).toEqual(['fault 3']);
    const page1 = await store.errors.list({ limit: 5 });
    const page2 = await store.errors.list({ limit: 5, before: page1[4]!.id });
    const page3 = await store.errors.list({ limit: 5, before: page2[4]!.id });
    expect([...page1, ...page2, ...page3].map((e) => e.id)).toEqual(all.map((e) => e.id));

    expect(await store.errors.countUnacknowledged()).toBe(10);
    expect(await store.errors.summary()).toEqual({ total: 12, unacknowledged: 10, bySeverity: { info: 3, warning: 3, error: 3, critical: 3 } });
  });

  it('connection history: newest first per component, latest, bounded by pruning', async () => {
    for (let i = 0; i < 5; i++) {
      await store.connections.insert('xapi', { at: at(i), state: i % 2 ? 'connected' : 'error', latencyMs: i * 1.5, error: i % 2 ? null : `e${i}` });
    }
    await store.connections.insert('database', { at: at(), state: 'unconfigured', latencyMs: null, error: null });
    expect(await store.connections.recent('xapi', 2)).toEqual([
      { at: at(4), state: 'error', latencyMs: 6, error: 'e4' },
      { at: at(3), state: 'connected', latencyMs: 4.5, error: null },
    ]);
    expect(await store.connections.latest()).toEqual({
      xapi: { at: at(4), state: 'error', latencyMs: 6, error: 'e4' },
      database: { at: at(), state: 'unconfigured', latencyMs: null, error: null },
    });
    expect(await store.connections.pruneBeyond(3)).toBe(2);
    expect((await store.connections.recent('xapi', 10)).map((e) => e.at)).toEqual([at(4), at(3), at(2)]);
    expect(await store.connections.recent('database')).toHaveLength(1);
  });

  it('request log: nothing written per request; one flush per interval writes rows, usage and counters', async () => {
    await store.apiKeys.insert({ id: 'aaaaaaaaaaaa', keyHash: 'h', clientName: 'crm', permissions: ['read'], createdBy: null, at: at() });
    await store.apiKeys.insert({ id: 'bbbbbbbbbbbb', keyHash: 'h', clientName: 'wall', permissions: ['read'], createdBy: null, at: at(1) });
    for (let i = 0; i < 2500; i++) {
      store.requestLog.record({ keyId: i % 5 ? 'aaaaaaaaaaaa' : 'bbbbbbbbbbbb', method: 'GET', path: '/relay/active-calls', status: 200, durationMs: 0.4, at: clock.now() - 2 * HOUR + i });
    }
    store.requestLog.record({ keyId: null, method: 'GET', path: '/relay/cdr', status: 401, durationMs: 0.1 });
    store.requestLog.count('call_events', 7);
    expect(store.requestLog.pendingCount('call_events', localDay(clock.now()))).toBe(7);
    expect(await store.apiRequests.countSince(at(-DAY))).toBe(0);

    clock.advance(1000); // the flush timer fires
    await store.requestLog.flush(); // wait for it (flushes are queued)
    expect(store.requestLog.buffered).toBe(0);
    expect(await store.apiRequests.countSince(at(-DAY))).toBe(2501);
    expect(await store.dailyCounts.get('call_events', localDay(clock.now()))).toBe(7);
    const keys = await store.apiKeys.list();
    expect(keys.find((k) => k.id === 'aaaaaaaaaaaa')).toMatchObject({ requestCount: 2000, lastUsedAt: isoAt(clock.now() - 1000 - 2 * HOUR + 2499) });
    expect(keys.find((k) => k.id === 'bbbbbbbbbbbb')).toMatchObject({ requestCount: 500 });

    // Recent traffic for the last-hour figure; stop() writes what is left.
    store.requestLog.record({ keyId: 'bbbbbbbbbbbb', method: 'GET', path: '/relay/cdr', status: 200, durationMs: 3 });
    store.requestLog.count('call_events', 3);
    store = await t.reopen();
    expect(await store.dailyCounts.get('call_events', localDay(clock.now()))).toBe(10);
    expect(await store.apiRequests.perKey(at(-HOUR))).toEqual([
      { keyId: 'bbbbbbbbbbbb', clientName: 'wall', requests: 501, lastHour: 1 },
      { keyId: 'aaaaaaaaaaaa', clientName: 'crm', requests: 2000, lastHour: 0 },
    ]);
    expect(await store.apiRequests.countSince(at(-HOUR), 'bbbbbbbbbbbb')).toBe(1);
    await store.apiKeys.deactivate('aaaaaaaaaaaa', at());
    expect((await store.apiRequests.perKey(at(-HOUR))).map((k) => k.keyId)).toEqual(['bbbbbbbbbbbb']);
  });

  it('retention prunes old requests, old acknowledged errors, expired sessions and long history', async () => {
    store.requestLog.record({ keyId: null, method: 'GET', path: '/old', status: 200, durationMs: 1, at: clock.now() - 31 * DAY });
    store.requestLog.record({ keyId: null, method: 'GET', path: '/new', status: 200, durationMs: 1, at: clock.now() - 29 * DAY });
    store.requestLog.count('call_events', 1, clock.now() - 401 * DAY);
    await store.requestLog.flush();
    const old = await store.errors.insert({ component: 'relay', severity: 'error', message: 'old', at: at(-91 * DAY) });
    await store.errors.insert({ component: 'relay', severity: 'error', message: 'old but open', at: at(-91 * DAY) });
    await store.errors.acknowledge(old.id, null, at());
    for (let i = 0; i < 4; i++) await store.connections.insert('callcontrol', { at: at(i), state: 'connected', latencyMs: 1, error: null });
    expect(await store.prune({ historyPerComponent: 2 })).toEqual({ requests: 1, history: 2, errors: 1, dailyCounts: 1, sessions: 0, alerts: 0 });
    expect(await store.apiRequests.countSince(at(-365 * DAY))).toBe(1);
    expect((await store.errors.list()).map((e) => e.message)).toEqual(['old but open']);
  });

  it('request log keeps a batch that failed to write and writes it on the next flush', async () => {
    const sink = memorySink();
    const writer = new RequestLogWriter(store.db, { clock, logger: createLogger(sink) });
    await sql`alter table api_requests rename to api_requests_away`.execute(store.db);
    writer.record({ keyId: null, method: 'GET', path: '/a', status: 200, durationMs: 1 });
    await writer.flush();
    expect(writer.buffered).toBe(1);
    expect(sink.records.map((r) => r.msg)).toContain('request log flush failed');
    await sql`alter table api_requests_away rename to api_requests`.execute(store.db);
    writer.record({ keyId: null, method: 'GET', path: '/b', status: 200, durationMs: 1 });
    await writer.stop();
    expect(writer.buffered).toBe(0);
    expect(await store.apiRequests.countSince(at(-HOUR))).toBe(2);
  });

  if (engine === 'sqlite') {
    it('keeps its file private and runs in WAL mode with foreign keys', async () => {
      const dataDir = (t.location as { dataDir: string }).dataDir;
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dataDir, SQLITE_FILE_NAME)).mode & 0o777).toBe(0o600);
      await store.users.insert({ username: 'alice', passwordHash: 'h', role: 'admin', at: at() });
      for (const f of fs.readdirSync(dataDir)) expect(fs.statSync(path.join(dataDir, f)).mode & 0o077).toBe(0);
      const raw = new Database(path.join(dataDir, SQLITE_FILE_NAME), { readonly: true });
      try {
        expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        raw.close();
      }
    });
  } else {
    it('rejects an unreachable server and a non-postgres URL without leaving a pool open', async () => {
      await expect(openStore({ url: 'postgres://relay:pw@127.0.0.1:1/none' }, silentLogger)).rejects.toThrow();
      await expect(openStore({ url: 'mysql://127.0.0.1/none' }, silentLogger)).rejects.toMatchObject({ status: 400 });
    });
  }
});
