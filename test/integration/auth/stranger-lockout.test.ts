// The acceptance scenario of issue 12 over the real relay: a script on the
// same machine, with no credentials, hammers POST /admin/login. The admin
// still signs in from a browser that signed in before, and the desktop
// window (IPC: no login at all) is untouched by any HTTP throttle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../support/relay-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ cdr: 'none' });
});
afterAll(async () => {
  await h?.close();
});

const login = (username: string, password: string, deviceToken?: string) =>
  h.req('/admin/login', { method: 'POST', json: { username, password, ...(deviceToken ? { deviceToken } : {}) } });

describe('a stranger on the machine', () => {
  it('cannot keep the admin out of a browser that signed in before, nor out of the desktop window', async () => {
    const first = await login('admin', ADMIN_PASSWORD);
    expect(first.status).toBe(200);
    const { deviceToken } = (await first.json()) as { deviceToken: string };

    // Guesses on the real name, on other casings and on random names, in parallel.
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) =>
      login(['admin', 'ADMIN', `user${i}`][i % 3]!, `stranger guess ${i}`).then((r) => r.status)));
    expect(statuses.every((s) => s === 401 || s === 429 || s === 503)).toBe(true);
    expect(statuses).toContain(429);
    // A new browser is now asked to wait; the old one is not.
    expect((await login('admin', ADMIN_PASSWORD)).status).toBe(429);
    const trusted = await login('admin', ADMIN_PASSWORD, deviceToken);
    expect(trusted.status).toBe(200);

    // The desktop window acts as the local admin over IPC, with no password check to throttle.
    expect((await h.service.admin.listUsers()).map((u) => u.username)).toContain('admin');
    await h.service.admin.setPassword('admin', 'a new admin password');
    const after = await login('admin', 'a new admin password', ((await trusted.json()) as { deviceToken: string }).deviceToken);
    expect(after.status).toBe(200);
    // Nothing the stranger typed reached the logs under a name that is no account.
    expect(h.logText()).not.toContain('stranger guess');
    expect(h.logText()).not.toMatch(/"username":"(ADMIN|user\d+)"/);
  });
});

describe('a flood of password checks', () => {
  let slow: Harness;
  beforeAll(async () => {
    // Production cost, one waiting job per lane: the flood overflows at once.
    slow = await startHarness({ cdr: 'none', tuning: { bcryptCost: 12, hasher: { maxQueued: 1 } } });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('is refused with 503 and Retry-After instead of queueing without bound', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      slow.req('/admin/login', { method: 'POST', json: { username: `nobody${i}`, password: 'flood password' } })));
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(answers.every((r) => r.status === 401 || r.status === 503)).toBe(true);
    expect(Number(busy[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await busy[0]!.json()).toEqual({ error: expect.stringMatching(/too many passwords/), code: 'busy' });
  });
});
