// Sign-in throttling as a stranger on the same machine meets it (issue 12):
// every client is 127.0.0.1, so only device tokens and per-account budgets
// tell clients apart. Real store on both engines; time is a manual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuthServices, type AuthServices } from '../../../relay/auth/auth-services.js';
import { LoginThrottledError } from '../../../relay/auth/sign-in-guard.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ENGINES, openTestStore, type TestStore } from '../store/test-store.js';

const DAY = 24 * 3_600_000;
const ADMIN_PW = 'admin-password-1';

type Outcome = 'ok' | 401 | { wait: number };

describe.each(ENGINES)('sign-in throttling on %s', (engine) => {
  let t: TestStore;
  let clock: ManualClock;
  let sink: ReturnType<typeof memorySink>;
  let auth: AuthServices;

  const build = () => createAuthServices(t.store, { clock, logger: createLogger(sink, { level: 'debug' }), bcryptCost: 4 });

  beforeEach(async () => {
    clock = new ManualClock();
    t = await openTestStore(engine, { clock });
    sink = memorySink();
    auth = build();
    await auth.users.create('admin', ADMIN_PW, 'admin');
  });
  afterEach(async () => {
    await auth.hasher.stop();
    await t.cleanup();
  });

  async function attempt(username: string, password: string, deviceToken?: string, a: AuthServices = auth): Promise<Outcome> {
    try {
      await a.users.verifyLogin(username, password, deviceToken);
      return 'ok';
    } catch (e) {
      if (e instanceof LoginThrottledError) return { wait: e.retryAfterS };
      if (e instanceof RelayError && e.status === 401) return 401;
      throw e;
    }
  }

  /** A script that guesses as fast as it is allowed, waiting out every 429, for `ms` of clock time. */
  async function guessFor(ms: number, username = 'admin'): Promise<number> {
    const end = clock.now() + ms;
    let guesses = 0;
    for (let i = 0; clock.now() < end; i++) {
      const r = await attempt(username, `guess-${i}-wrong`);
      if (r === 401) guesses++;
      else if (r === 'ok') throw new Error('a guess succeeded');
      else clock.advance(Math.min(r.wait * 1000, end - clock.now()));
    }
    return guesses;
  }

  it('a stranger gets at most ~100 guesses per account per day, however the guesses are paced', async () => {
    const firstDay = await guessFor(DAY - 1);
    expect(firstDay).toBeLessThanOrEqual(100);
    expect(firstDay).toBeGreaterThanOrEqual(50); // budget, not a permanent lock
    clock.advance(1);
    expect(await guessFor(DAY - 1)).toBeLessThanOrEqual(100);
  });

  it('a stranger cannot lock out a browser that signed in before, nor wait it out', async () => {
    const { deviceToken } = await auth.users.verifyLogin('admin', ADMIN_PW);
    await guessFor(3_600_000);
    // Untrusted clients now wait; the admin's browser does not.
    expect(await attempt('admin', ADMIN_PW)).toMatchObject({ wait: expect.any(Number) });
    expect(await attempt('admin', ADMIN_PW, deviceToken)).toBe('ok');
    // A mistype on the trusted browser is a plain 401, then the right password works at once.
    expect(await attempt('admin', 'mistyped-password', deviceToken)).toBe(401);
    expect(await attempt('admin', ADMIN_PW, deviceToken)).toBe('ok');
  });

  it('parallel guesses are charged before the password is checked', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt('admin', `parallel-${i}-wrong`)));
    expect(results.filter((r) => r === 401)).toHaveLength(5);
    expect(results.filter((r) => typeof r === 'object')).toHaveLength(35);
  });

  it('failures for unknown or differently cased names never count against a real account', async () => {
    for (let i = 0; i < 60; i++) {
      expect(await attempt('ADMIN', `wrong-${i}-password`)).toBe(401);
      expect(await attempt(`random${i}`, 'whatever-password')).toBe(401);
    }
    expect(await attempt('admin', ADMIN_PW)).toBe('ok');
    expect(await t.store.db.selectFrom('sign_in_throttle').select('key').execute()).toEqual([{ key: 'account:admin' }]);
  });

  it('a device that keeps guessing is stopped on that device only', async () => {
    await auth.users.create('second', 'second-password', 'admin');
    const a = (await auth.users.verifyLogin('admin', ADMIN_PW)).deviceToken;
    const b = (await auth.users.verifyLogin('admin', ADMIN_PW)).deviceToken;
    let waited = 0;
    for (let i = 0; i < 5; i++) expect(await attempt('admin', `device-${i}-wrong`, a)).toBe(401);
    const blocked = await attempt('admin', ADMIN_PW, a);
    expect(blocked).toMatchObject({ wait: expect.any(Number) });
    if (typeof blocked === 'object') waited = blocked.wait;
    expect(waited).toBeGreaterThan(0);
    expect(await attempt('admin', ADMIN_PW, b)).toBe('ok');
    expect(await attempt('admin', ADMIN_PW)).toBe('ok'); // the untrusted budget was not touched either
  });

  it('a device token counts only for the user it was issued to, and only untampered', async () => {
    await auth.users.create('alice', 'alice-password', 'viewer');
    const alices = (await auth.users.verifyLogin('alice', 'alice-password')).deviceToken;
    const admins = (await auth.users.verifyLogin('admin', ADMIN_PW)).deviceToken;
    await guessFor(3_600_000);
    expect(await attempt('admin', ADMIN_PW, alices)).toMatchObject({ wait: expect.any(Number) });
    const tampered = `${admins.slice(0, -2)}${admins.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await attempt('admin', ADMIN_PW, tampered)).toMatchObject({ wait: expect.any(Number) });
    expect(await attempt('admin', ADMIN_PW, admins)).toBe('ok');
  });

  it('the counts and the signing key survive a restart', async () => {
    const { deviceToken } = await auth.users.verifyLogin('admin', ADMIN_PW);
    await guessFor(60_000);
    await auth.hasher.stop();
    auth = build();
    expect(await attempt('admin', ADMIN_PW)).toMatchObject({ wait: expect.any(Number) });
    expect(await attempt('admin', ADMIN_PW, deviceToken)).toBe('ok');
  });

  it('the current-password check of a password change is throttled like a sign-in', async () => {
    await auth.users.create('viewer1', 'viewer-password', 'viewer');
    const results: (boolean | number)[] = [];
    for (let i = 0; i < 8; i++) {
      results.push(await auth.users.verifyPassword('viewer1', `oracle-${i}-wrong`).catch((e: unknown) => (e instanceof LoginThrottledError ? 429 : -1)));
    }
    expect(results).toEqual([false, false, false, false, false, 429, 429, 429]);
    expect(await auth.users.verifyPassword('viewer1', 'viewer-password').catch(() => 429)).toBe(429);
    clock.advance(1_000);
    expect(await auth.users.verifyPassword('viewer1', 'viewer-password')).toBe(true);
  });

  it('logs failed sign-ins without echoing a name that is no account', async () => {
    await attempt('correct horse battery staple', 'x');
    await attempt('hunter2-is-my-password', 'x');
    await attempt('admin', 'wrong-password-here');
    const logged = JSON.stringify(sink.records);
    expect(logged).not.toContain('correct horse');
    expect(logged).not.toContain('hunter2');
    expect(logged).not.toContain('wrong-password-here');
    expect(sink.records.filter((r) => r.msg === 'admin login failed')).toHaveLength(3);
    expect(sink.records.filter((r) => r.msg === 'admin login failed' && r.username === 'admin')).toHaveLength(1);
  });

  it('passwords over 72 bytes of UTF-8 are refused with a 400, never truncated', async () => {
    const pw73 = `${'a'.repeat(71)}é`; // 72 characters, 73 bytes
    await expect(auth.users.create('longpw', pw73, 'viewer')).rejects.toMatchObject({ status: 400, message: expect.stringContaining('72 bytes') });
    await expect(auth.users.setPassword('admin', pw73)).rejects.toMatchObject({ status: 400 });
    await expect(auth.users.verifyLogin('admin', pw73)).rejects.toMatchObject({ status: 400 });
    const pw72 = 'b'.repeat(72);
    await auth.users.setPassword('admin', pw72);
    expect(await attempt('admin', pw72)).toBe('ok');
    // bcrypt alone would have accepted any suffix after 72 bytes.
    await expect(auth.users.verifyLogin('admin', `${pw72}x`)).rejects.toMatchObject({ status: 400 });
  });
});
