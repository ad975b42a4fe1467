// Users, sessions and first-admin bootstrap (sign-in throttling: sign-in-throttle.test.ts) against a real
// store on both engines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthServices } from '../../../relay/auth/auth-services.js';
import type { AuthServices } from '../../../relay/auth/auth-services.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ENGINES, openTestStore } from '../store/test-store.js';
import type { TestStore } from '../store/test-store.js';

const HOUR = 3_600_000;
const PW = 'first-admin-password';

describe.each(ENGINES)('users and sessions on %s', (engine) => {
  let t: TestStore;
  let clock: ManualClock;
  let auth: AuthServices;
  let sink: ReturnType<typeof memorySink>;

  beforeEach(async () => {
    clock = new ManualClock();
    t = await openTestStore(engine, { clock });
    sink = memorySink();
    auth = createAuthServices(t.store, {
      clock,
      logger: createLogger(sink, { level: 'debug' }),
      bcryptCost: 4,
    });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function login(username: string, password: string, address = '127.0.0.1') {
    const { user } = await auth.users.verifyLogin(username, password);
    return auth.sessions.create(user, address);
  }

  it('bootstraps admin from RELAY_ADMIN_PASSWORD once', async () => {
    expect(await auth.users.bootstrapAdmin(PW)).toEqual({ created: true, username: 'admin' });
    expect(await auth.users.bootstrapAdmin('another-password-x')).toEqual({ created: false });
    const s = await login('admin', PW);
    expect(await auth.sessions.authenticate(s.token)).toMatchObject({ user: { username: 'admin', role: 'admin' } });
    await expect(auth.users.verifyLogin('admin', 'another-password-x')).rejects.toMatchObject({ status: 401 });
    expect(JSON.stringify(sink.records)).not.toContain(PW);
  });

  it('bootstraps admin with a generated one-time password it never logs', async () => {
    const r = await auth.users.bootstrapAdmin();
    if (!r.created || !r.generatedPassword) throw new Error('expected a generated password');
    expect(r.generatedPassword.length).toBeGreaterThanOrEqual(20);
    expect((await login('admin', r.generatedPassword)).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(sink.records)).not.toContain(r.generatedPassword);
    await expect(createAuthServices(t.store, { clock, logger: createLogger(sink), bcryptCost: 4 }).users.bootstrapAdmin('short')).resolves.toEqual({ created: false });
  });

  it('lets the relay listen while the first admin is hashed: a sign-in that arrives first waits for it', async () => {
    const begun = await auth.users.beginBootstrap(PW);
    expect(begun.result).toEqual({ created: true, username: 'admin' });
    // Not awaiting `stored`: the hash is still in the worker when the sign-in comes.
    const s = await login('admin', PW);
    expect(await auth.sessions.authenticate(s.token)).toMatchObject({ user: { username: 'admin', role: 'admin' } });
    expect((await auth.users.list()).map((u) => u.username)).toEqual(['admin']);
    await begun.stored;
  });

  it('refuses the start before listening when a viewer holds the name admin', async () => {
    await auth.users.create('admin', 'viewer-password-2', 'viewer');
    await expect(auth.users.beginBootstrap(PW)).rejects.toMatchObject({ status: 409, message: expect.stringContaining('taken by a viewer') });
    expect((await auth.users.list()).map((u) => [u.username, u.role])).toEqual([['admin', 'viewer']]);
  });

  it('rejects a too-short RELAY_ADMIN_PASSWORD with a clear 400', async () => {
    const e = await auth.users.bootstrapAdmin('short').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RelayError);
    expect(e).toMatchObject({ status: 400 });
    expect((e as Error).message).toContain('RELAY_ADMIN_PASSWORD');
    expect(await auth.users.list()).toEqual([]);
  });

  it('creates users with validation and refuses duplicates', async () => {
    const created = await auth.users.create('viewer1', 'viewer-password', 'viewer');
    expect(created).toEqual({ username: 'viewer1', role: 'viewer', createdAt: new Date(clock.now()).toISOString(), lastLoginAt: null });
    await expect(auth.users.create('viewer1', 'viewer-password', 'admin')).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(auth.users.create('bad name', 'viewer-password', 'viewer')).rejects.toMatchObject({ status: 400 });
    await expect(auth.users.create('ok', 'short', 'viewer')).rejects.toMatchObject({ status: 400 });
    await expect(auth.users.create('ok', 'viewer-password', 'root' as 'admin')).rejects.toMatchObject({ status: 400 });
    const row = await t.store.db.selectFrom('admin_users').select('password_hash').where('username', '=', 'viewer1').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$2[aby]\$04\$/);
    expect((await auth.users.list()).map((u) => u.username)).toEqual(['viewer1']);
  });

  it('answers unknown user and wrong password alike, and records the last login', async () => {
    await auth.users.create('alice', 'alice-password', 'admin');
    const unknown = await auth.users.verifyLogin('nobody', 'alice-password').catch((e: unknown) => e);
    const wrong = await auth.users.verifyLogin('alice', 'wrong-password').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(RelayError);
    expect(wrong).toBeInstanceOf(RelayError);
    expect({ s: (unknown as RelayError).status, m: (unknown as RelayError).message }).toEqual({ s: (wrong as RelayError).status, m: (wrong as RelayError).message });
    expect((wrong as RelayError).status).toBe(401);
    clock.advance(5000);
    expect((await auth.users.verifyLogin('alice', 'alice-password')).user).toMatchObject({ username: 'alice', role: 'admin' });
    expect((await auth.users.list())[0]?.lastLoginAt).toBe(new Date(clock.now()).toISOString());
    expect(JSON.stringify(sink.records)).not.toContain('alice-password');
    expect(JSON.stringify(sink.records)).not.toContain('wrong-password');
  });

  it('sessions: token shown once, digest stored, logout revokes', async () => {
    await auth.users.create('alice', 'alice-password', 'admin');
    const s = await login('alice', 'alice-password');
    const rows = await t.store.db.selectFrom('sessions').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(s.token);
    expect(await auth.sessions.authenticate(s.token)).toEqual({ user: { username: 'alice', role: 'admin' }, expiresAt: s.expiresAt });
    expect(await auth.sessions.authenticate(`${s.token.slice(0, -1)}${s.token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await auth.sessions.authenticate('not a token')).toBeNull();
    expect(await auth.sessions.revoke(s.token)).toBe(true);
    expect(await auth.sessions.authenticate(s.token)).toBeNull();
    expect(await auth.sessions.revoke(s.token)).toBe(false);
  });

  it('sessions slide with use up to an absolute lifetime', async () => {
    await auth.users.create('alice', 'alice-password', 'admin');
    const s = await login('alice', 'alice-password');
    expect(s.expiresAt).toBe(new Date(clock.now() + 12 * HOUR).toISOString());
    for (let i = 0; i < 2; i++) {
      clock.advance(11 * HOUR);
      expect(await auth.sessions.authenticate(s.token)).not.toBeNull(); // extends to now + 12 h
    }
    clock.advance(1 * HOUR); // 23 h after login: still within the idle window
    expect(await auth.sessions.authenticate(s.token)).not.toBeNull();
    clock.advance(1 * HOUR); // 24 h: absolute lifetime over
    expect(await auth.sessions.authenticate(s.token)).toBeNull();

    const idle = await login('alice', 'alice-password');
    clock.advance(12 * HOUR);
    expect(await auth.sessions.authenticate(idle.token)).toBeNull();
  });

  it('a password change and a removal end every session of that user', async () => {
    await auth.users.create('alice', 'alice-password', 'admin');
    await auth.users.create('bob', 'bob-password-1', 'admin');
    const a1 = await login('alice', 'alice-password');
    const a2 = await login('alice', 'alice-password', '127.0.0.2');
    const b1 = await login('bob', 'bob-password-1');
    await auth.users.setPassword('alice', 'alice-password-2');
    expect(await auth.sessions.authenticate(a1.token)).toBeNull();
    expect(await auth.sessions.authenticate(a2.token)).toBeNull();
    expect(await auth.sessions.authenticate(b1.token)).not.toBeNull();
    await expect(auth.users.verifyLogin('alice', 'alice-password')).rejects.toMatchObject({ status: 401 });
    expect(await auth.users.verifyPassword('alice', 'alice-password-2')).toBe(true);
    await expect(auth.users.setPassword('alice', 'short')).rejects.toMatchObject({ status: 400 });
    await expect(auth.users.setPassword('nobody', 'long-enough-pw')).rejects.toMatchObject({ status: 404 });

    await auth.users.remove('bob');
    expect(await auth.sessions.authenticate(b1.token)).toBeNull();
  });

  it('never removes the last admin', async () => {
    await auth.users.bootstrapAdmin(PW);
    await auth.users.create('viewer1', 'viewer-password', 'viewer');
    await expect(auth.users.remove('admin')).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(auth.users.remove('nobody')).rejects.toMatchObject({ status: 404 });
    await auth.users.remove('viewer1');
    await auth.users.create('second', 'second-password', 'admin');
    await auth.users.remove('admin');
    await expect(auth.users.remove('second')).rejects.toMatchObject({ status: 409 });
    expect((await auth.users.list()).map((u) => u.username)).toEqual(['second']);
  });
});
