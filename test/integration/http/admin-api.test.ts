// The admin API (contract section 5 and docs/admin-api.md) over HTTP: sessions
// (Bearer only, no cookie) and sign-in throttling, roles, users, keys, errors, connections, stats, and the
// dashboard's additions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveCallsResponse, ApiKeyInfo, ConnectionsView, ErrorEntry, Stats } from '../../../relay/contract/api-types.js';
import { ADMIN_PASSWORD, VIEWER_PASSWORD, startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
beforeAll(async () => {
  // Three attempts, then a minute's wait: quick to reach, long enough to see.
  const minuteApart = { freeAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 100, windowMs: 86_400_000 };
  h = await startHarness({ cdr: 'none', tuning: { signIn: { untrustedAccount: minuteApart, device: minuteApart } } });
});
afterAll(async () => {
  await h?.close();
});

const json = async <T>(r: Response, status = 200): Promise<T> => {
  expect(r.status, `${r.url} ${r.status}`).toBe(status);
  return (await r.json()) as T;
};
const login = (username: string, password: string, deviceToken?: string) =>
  h.req('/admin/login', { method: 'POST', json: { username, password, ...(deviceToken ? { deviceToken } : {}) } });

describe('sessions', () => {
  it('login answers the session and device tokens and sets no cookie; only Bearer authenticates', async () => {
    const r = await login('admin', ADMIN_PASSWORD);
    const body = await json<{ token: string; user: object; deviceToken: string }>(r);
    expect(body.user).toEqual({ username: 'admin', role: 'admin' });
    expect(body.deviceToken).toMatch(/^d1\./);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await json(await h.req('/admin/me', { auth: body.token }))).toEqual({ username: 'admin', role: 'admin' });
    // Another local server that got hold of a cookie would get nothing with it.
    expect((await h.req('/admin/me', { headers: { cookie: `admin_token=${body.token}` } })).status).toBe(401);
    expect((await h.req('/admin/logout', { method: 'POST', headers: { cookie: `admin_token=${body.token}`, origin: h.url } })).status).toBe(401);
  });

  it('401 for a wrong password or unknown user; 429 with Retry-After for strangers only, after repeated failures', async () => {
    await json(await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'throttled', password: 'throttled-pass', role: 'viewer' } }), 201);
    const { deviceToken } = await json<{ deviceToken: string }>(await login('throttled', 'throttled-pass'));
    expect((await login('admin', 'wrong password')).status).toBe(401);
    for (let i = 0; i < 6; i++) expect((await login('nobody', 'wrong password')).status).toBe(401); // no account: never throttled
    for (let i = 0; i < 3; i++) expect((await login('throttled', 'wrong password')).status).toBe(401);
    const r = await login('throttled', 'throttled-pass');
    expect(r.status).toBe(429);
    expect(await r.json()).toEqual({ error: expect.stringMatching(/too many sign-in attempts/), code: 'rate_limited' });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(50);
    // The browser that signed in before is not locked out by them.
    const trusted = await login('throttled', 'throttled-pass', deviceToken);
    expect(trusted.status).toBe(200);
    expect((await trusted.json() as { deviceToken: string }).deviceToken).not.toBe(deviceToken);
  });

  it('400 for a password over 72 bytes of UTF-8, before any guess is counted', async () => {
    const r = await login('admin', 'ü'.repeat(37));
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/72 bytes/);
    const create = await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'longpw', password: 'ü'.repeat(37), role: 'viewer' } });
    expect(create.status).toBe(400);
  });

  it('400 for a malformed login body', async () => {
    expect((await h.req('/admin/login', { method: 'POST', json: { username: 'admin' } })).status).toBe(400);
    expect((await h.req('/admin/login', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'admin:pw' })).status).toBe(400);
  });

  it('logout revokes the session server-side', async () => {
    const { token } = await json<{ token: string }>(await login('admin', ADMIN_PASSWORD));
    expect(await json(await h.req('/admin/logout', { method: 'POST', auth: token }))).toEqual({ signedOut: true });
    const after = await h.req('/admin/me', { auth: token });
    expect(after.status).toBe(401);
    expect((await after.json() as { code: string }).code).toBe('unauthorized');
  });

  it('401 without a session on every admin route', async () => {
    for (const [method, p] of [['GET', '/admin/me'], ['GET', '/admin/stats'], ['GET', '/admin/users'], ['POST', '/admin/logout'], ['GET', '/admin/active-calls'], ['POST', '/admin/ws-ticket']]) {
      const r = await h.req(p!, { method: method! });
      expect(r.status, p).toBe(401);
    }
    expect((await h.req('/admin/me', { auth: 'x'.repeat(43) })).status).toBe(401);
  });
});

describe('roles', () => {
  const adminOnly: Array<[string, string, unknown?]> = [
    ['POST', '/admin/connections/xapi/reconnect'],
    ['GET', '/admin/api-keys'],
    ['POST', '/admin/api-keys', { clientName: 'v', permissions: ['read'] }],
    ['DELETE', '/admin/api-keys/abcdef123456'],
    ['GET', '/admin/users'],
    ['POST', '/admin/users', { username: 'x1', password: 'long enough pw', role: 'viewer' }],
    ['DELETE', '/admin/users/admin'],
    ['POST', '/admin/users/admin/password', { password: 'new password 123' }],
    ['POST', '/admin/active-calls/1/drop'],
  ];
  it('a viewer gets 403 on admin-only routes', async () => {
    for (const [method, p, body] of adminOnly) {
      const r = await h.req(p, { method, auth: h.viewerToken, ...(body ? { json: body } : {}) });
      expect(r.status, `${method} ${p}`).toBe(403);
      expect(((await r.json()) as { code: string }).code).toBe('forbidden');
    }
  });

  it('a viewer may read the dashboard figures and acknowledge errors', async () => {
    for (const p of ['/admin/me', '/admin/stats', '/admin/connections', '/admin/errors', '/admin/active-calls']) {
      expect((await h.req(p, { auth: h.viewerToken })).status, p).toBe(200);
    }
    expect(await json(await h.req('/admin/me', { auth: h.viewerToken }))).toEqual({ username: 'vera', role: 'viewer' });
    expect((await h.req('/admin/ws-ticket', { method: 'POST', auth: h.viewerToken })).status).toBe(201);
  });
});

describe('users', () => {
  it('creates, lists and removes users; the last admin cannot be removed', async () => {
    expect((await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'sam', password: 'sam password 1', role: 'viewer' } })).status).toBe(201);
    expect((await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'sam', password: 'sam password 1', role: 'viewer' } })).status).toBe(409);
    const bad = await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'bad name!', password: 'short', role: 'boss' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/`username`/);
    const { users } = await json<{ users: { username: string; role: string; createdAt: string }[] }>(await h.req('/admin/users', { auth: h.adminToken }));
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'vera', 'sam']));
    expect(JSON.stringify(users)).not.toMatch(/hash|\$2[aby]\$/);
    expect(await json(await h.req('/admin/users/sam', { method: 'DELETE', auth: h.adminToken }))).toEqual({ username: 'sam', removed: true });
    expect((await h.req('/admin/users/sam', { method: 'DELETE', auth: h.adminToken })).status).toBe(404);
    expect((await h.req('/admin/users/admin', { method: 'DELETE', auth: h.adminToken })).status).toBe(409);
  });

  it('a password change signs the user out everywhere; a viewer changes only their own, with the current one', async () => {
    await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'pat', password: 'pat password 1', role: 'viewer' } });
    const { token } = await json<{ token: string }>(await login('pat', 'pat password 1'));
    expect((await h.req('/admin/users/pat/password', { method: 'POST', auth: token, json: { password: 'pat password 2' } })).status).toBe(403);
    expect((await h.req('/admin/users/pat/password', { method: 'POST', auth: token, json: { password: 'pat password 2', currentPassword: 'wrong' } })).status).toBe(403);
    expect((await h.req('/admin/users/vera/password', { method: 'POST', auth: token, json: { password: 'pat password 2', currentPassword: 'pat password 1' } })).status).toBe(403);
    const weak = await h.req('/admin/users/pat/password', { method: 'POST', auth: token, json: { password: 'short', currentPassword: 'pat password 1' } });
    expect(((await weak.json()) as { error: string }).error).toMatch(/`password` must be at least 10 characters/);
    expect((await h.req('/admin/users/pat/password', { method: 'POST', auth: token, json: { password: 'pat password 2', currentPassword: 'pat password 1' } })).status).toBe(200);
    expect((await h.req('/admin/me', { auth: token })).status).toBe(401);
    expect((await login('pat', 'pat password 2')).status).toBe(200);
    // An admin resets someone else's password without theirs.
    expect((await h.req('/admin/users/pat/password', { method: 'POST', auth: h.adminToken, json: { password: 'pat password 3' } })).status).toBe(200);
    expect((await login('pat', 'pat password 3')).status).toBe(200);
    expect((await login('vera', VIEWER_PASSWORD)).status).toBe(200);
  });

  it('the current-password check is throttled like a sign-in', async () => {
    await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'quinn', password: 'quinn password 1', role: 'viewer' } });
    const { token } = await json<{ token: string }>(await login('quinn', 'quinn password 1'));
    const change = (currentPassword: string) => h.req('/admin/users/quinn/password', { method: 'POST', auth: token, json: { password: 'quinn password 2', currentPassword } });
    for (let i = 0; i < 3; i++) expect((await change(`guess ${i}`)).status).toBe(403);
    const r = await change('quinn password 1');
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('API keys', () => {
  it('lists keys with usage but never the key or its hash; the key appears only at creation', async () => {
    const created = await json<{ id: string; apiKey: string; warning: string }>(
      await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName: 'listed', permissions: ['read', 'read'] } }), 201);
    expect(created.warning).toMatch(/only once/);
    for (let i = 0; i < 3; i++) expect((await h.req('/relay/active-calls', { auth: created.apiKey })).status).toBe(200);
    const info = await waitUntil(async () => {
      const { keys } = await json<{ keys: ApiKeyInfo[] }>(await h.req('/admin/api-keys', { auth: h.adminToken }));
      const k = keys.find((x) => x.id === created.id);
      return k && k.requestCount === 3 ? { keys, k } : null;
    }, 'request count flushed');
    expect(info.k).toEqual({ id: created.id, clientName: 'listed', permissions: ['read'], active: true, createdAt: expect.any(String), createdBy: 'admin', lastUsedAt: expect.any(String), requestCount: 3 });
    const text = JSON.stringify(info.keys);
    expect(text).not.toContain(created.apiKey);
    expect(text).not.toContain(created.apiKey.slice(`rk_${created.id}_`.length));
    expect(await json(await h.req(`/admin/api-keys/${created.id}`, { method: 'DELETE', auth: h.adminToken }))).toEqual({ id: created.id, active: false });
    const { keys } = await json<{ keys: ApiKeyInfo[] }>(await h.req('/admin/api-keys', { auth: h.adminToken }));
    expect(keys.find((x) => x.id === created.id)?.active).toBe(false);
    expect((await h.req('/admin/api-keys/000000000000', { method: 'DELETE', auth: h.adminToken })).status).toBe(404);
    expect((await h.req('/admin/api-keys/..%2F..', { method: 'DELETE', auth: h.adminToken })).status).toBe(400);
    expect((await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName: 'x', permissions: ['admin'] } })).status).toBe(400);
  });
});

describe('errors, connections, stats', () => {
  it('a simulator fault lands in the error feed; filter, acknowledge, 404 for unknown', async () => {
    h.sim.faults.sendMalformedFrame('not-json');
    const entry = await waitUntil(async () => {
      const { errors } = await json<{ errors: ErrorEntry[] }>(await h.req('/admin/errors?component=callcontrol&acknowledged=false', { auth: h.adminToken }));
      return errors[0];
    }, 'error entry');
    expect(entry).toMatchObject({ component: 'callcontrol', acknowledged: false, occurrences: expect.any(Number) });
    const none = await json<{ errors: ErrorEntry[] }>(await h.req('/admin/errors?component=database', { auth: h.adminToken }));
    expect(none.errors.every((e) => e.component === 'database')).toBe(true);
    expect(await json(await h.req(`/admin/errors/${entry.id}/acknowledge`, { method: 'POST', auth: h.viewerToken }))).toEqual({ id: entry.id, acknowledged: true });
    const acked = await json<{ errors: ErrorEntry[] }>(await h.req('/admin/errors?acknowledged=true&limit=5', { auth: h.adminToken }));
    expect(acked.errors.find((e) => e.id === entry.id)).toMatchObject({ acknowledged: true, acknowledgedBy: 'vera' });
    expect((await h.req('/admin/errors/999999/acknowledge', { method: 'POST', auth: h.adminToken })).status).toBe(404);
    expect((await h.req('/admin/errors?severity=fatal', { auth: h.adminToken })).status).toBe(400);
    expect((await h.req('/admin/errors?limit=0', { auth: h.adminToken })).status).toBe(400);
  });

  it('connections show the three components with history; reconnect answers 202', async () => {
    const view = await json<ConnectionsView>(await h.req('/admin/connections', { auth: h.adminToken }));
    expect(view.components.map((c) => c.component)).toEqual(['xapi', 'callcontrol', 'database']);
    expect(view.components[0]).toMatchObject({ state: 'connected', history: expect.arrayContaining([expect.objectContaining({ state: 'connected' })]) });
    const before = h.sim.stats.wsConnections;
    expect(await json(await h.req('/admin/connections/callcontrol/reconnect', { method: 'POST', auth: h.adminToken }), 202)).toEqual({ component: 'callcontrol', reconnecting: true });
    expect(h.sim.stats.wsConnections).toBeGreaterThan(before);
    expect((await h.req('/admin/connections/database/reconnect', { method: 'POST', auth: h.adminToken })).status).toBe(502);
    expect((await h.req('/admin/connections/pbx/reconnect', { method: 'POST', auth: h.adminToken })).status).toBe(400);
  });

  it('stats: active calls, calls and events today, requests per key, errors, calls per hour', async () => {
    const id = h.sim.placeInboundCall();
    await waitUntil(async () => (await json<Stats>(await h.req('/admin/stats', { auth: h.adminToken }))).activeCalls >= 1, 'call counted');
    await h.req('/relay/active-calls', { auth: h.keys.read });
    const stats = await waitUntil(async () => {
      const s = await json<Stats>(await h.req('/admin/stats', { auth: h.adminToken }));
      return s.callsToday >= 1 && s.requestsPerKey.some((k) => k.keyId === h.keys.readId && k.lastHour >= 1) ? s : null;
    }, 'figures flushed');
    expect(stats.eventsToday).toBeGreaterThan(0);
    expect(stats.uptimeS).toBeGreaterThanOrEqual(0);
    expect(stats.errors.total).toBeGreaterThanOrEqual(stats.errors.unacknowledged);
    expect(stats.callsPerHour).toHaveLength(24);
    expect(stats.callsPerHour.at(-1)!.count).toBeGreaterThanOrEqual(1);
    h.sim.hangUp(id);
  });
});

describe('dashboard additions', () => {
  it('active calls with source, drop (admin), ws-ticket marking the socket admin', async () => {
    const id = h.sim.placeInboundCall();
    const list = await waitUntil(async () => {
      const b = await json<ActiveCallsResponse>(await h.req('/admin/active-calls', { auth: h.viewerToken }));
      return b.value.some((c) => c.Id === id) ? b : null;
    }, 'call listed');
    expect(list.source).toBe('xapi');
    expect((await h.req(`/admin/active-calls/${id}/drop`, { method: 'POST', auth: h.adminToken })).status).toBe(204);
    expect(h.sim.stats.droppedCallIds).toContain(id);
    const t = await json<{ ticket: string; expiresAt: string }>(await h.req('/admin/ws-ticket', { method: 'POST', auth: h.adminToken }), 201);
    expect(t.ticket.length).toBeGreaterThan(20);
  });

  it('cdr routes answer 502 when no call-record database is configured', async () => {
    const r = await h.req('/admin/cdr?from=2026-01-01&to=2026-01-02', { auth: h.adminToken });
    expect(r.status).toBe(502);
    expect(await r.json()).toEqual({ error: expect.stringMatching(/not configured/), code: 'upstream_unconfigured' });
  });
});
