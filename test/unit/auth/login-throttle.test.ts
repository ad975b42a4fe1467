import { describe, expect, it } from 'vitest';
import { LoginThrottle, LoginThrottledError } from '../../../relay/auth/login-throttle.js';

async function outcome(p: Promise<void>): Promise<'ok' | number> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof LoginThrottledError) return e.retryAfterS;
    throw e;
  }
}

describe('LoginThrottle', () => {
  it('allows N attempts per user, then 429 with retry-after, whatever the address', async () => {
    const t = new LoginThrottle({ perUser: { attempts: 5, windowS: 900 }, perAddress: { attempts: 100, windowS: 900 } });
    for (let i = 0; i < 5; i++) expect(await outcome(t.begin('alice', `10.0.0.${i}`))).toBe('ok');
    const blocked = await t.begin('Alice', '10.0.0.99').catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(LoginThrottledError);
    expect(blocked).toMatchObject({ status: 429, code: 'rate_limited' });
    const retry = (blocked as LoginThrottledError).retryAfterS;
    expect(retry).toBeGreaterThan(890);
    expect(retry).toBeLessThanOrEqual(900);
    // Another user is not affected.
    expect(await outcome(t.begin('bob', '10.0.0.1'))).toBe('ok');
  });

  it('allows N attempts per address across usernames', async () => {
    const t = new LoginThrottle({ perUser: { attempts: 100, windowS: 900 }, perAddress: { attempts: 20, windowS: 900 } });
    for (let i = 0; i < 20; i++) expect(await outcome(t.begin(`user${i}`, '192.0.2.7'))).toBe('ok');
    expect(await outcome(t.begin('fresh', '192.0.2.7'))).toBeTypeOf('number');
    expect(await outcome(t.begin('fresh', '192.0.2.8'))).toBe('ok');
  });

  it('counts a parallel burst exactly: only N of many concurrent attempts pass', async () => {
    const t = new LoginThrottle({ perUser: { attempts: 5, windowS: 900 } });
    const results = await Promise.all(Array.from({ length: 30 }, () => outcome(t.begin('alice', '127.0.0.1'))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(5);
  });

  it('a success forgives the user and returns the address its attempt', async () => {
    const t = new LoginThrottle({ perUser: { attempts: 3, windowS: 900 }, perAddress: { attempts: 4, windowS: 900 } });
    await t.begin('alice', 'a');
    await t.begin('alice', 'a');
    await t.begin('alice', 'a');
    await t.succeeded('alice', 'a');
    // The user starts from zero; the address has 2 of 4 used (3 attempts, 1 given back).
    expect(await outcome(t.begin('alice', 'a'))).toBe('ok');
    expect(await outcome(t.begin('alice', 'a'))).toBe('ok');
    expect(await outcome(t.begin('alice', 'a'))).toBeTypeOf('number');
  });

  it('opens again when the window has passed', async () => {
    const t = new LoginThrottle({ perUser: { attempts: 1, windowS: 0.3 } });
    await t.begin('alice', 'a');
    expect(await outcome(t.begin('alice', 'a'))).toBe(1);
    await new Promise((r) => setTimeout(r, 350));
    expect(await outcome(t.begin('alice', 'a'))).toBe('ok');
  });
});
