// Contract sections 2 and 4 at the edge: who may call what, from where, with
// what input. Every refusal uses the contract's {error, code} shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, refused, connectOk } from '../ws/ws-harness.js';
import { ROUTE_IDS, ROUTES, type RouteId, type RouteSpec } from '../../../relay/contract/routes.js';
import { ALLOWED_ORIGIN, CDR_RANGE_QUERY as range, startHarness, type Harness } from '../../support/relay-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Input that gets each keyed route past validation, so the guard is what answers. */
const SAMPLE: Partial<Record<RouteId, { params?: Record<string, string>; query?: string; json?: unknown }>> = {
  relayDropCall: { params: { id: '1' } },
  relayMakeCall: { json: { from: '101', to: '+4930' } },
  relayCdrPage: { query: range },
  relayCdrCsv: { query: range },
};

/** Every route of the table that needs a key, with the permission it needs. */
const KEYED = ROUTE_IDS.flatMap((id) => {
  const spec: RouteSpec = ROUTES[id];
  if (spec.auth.kind !== 'key') return [];
  const sample = SAMPLE[id] ?? {};
  const path = spec.path.replace(/:(\w+)/g, (_m, name: string) => sample.params?.[name] ?? 'x') + (sample.query ? `?${sample.query}` : '');
  return [{ method: spec.method, path, permission: spec.auth.permission, ...(sample.json ? { json: sample.json } : {}) }];
});

async function expectError(r: Response, status: number, code: string): Promise<string> {
  expect(r.status, `${r.url}`).toBe(status);
  const body = (await r.json()) as { error: string; code: string };
  expect(body).toEqual({ error: expect.any(String), code });
  expect(body.error).not.toMatch(/\bat \w+ \(|node_modules|SELECT|stack/i);
  return body.error;
}

describe('API keys', () => {
  it('401 without a key, with a wrong key and with a malformed key, on every keyed route', async () => {
    const wrong = h.keys.read.slice(0, -6) + 'AAAAAA';
    for (const route of KEYED) {
      for (const auth of [undefined, wrong, 'not-a-key']) {
        const r = await h.req(route.path, { method: route.method, ...(auth ? { auth } : {}), ...(route.json ? { json: route.json } : {}) });
        await expectError(r, 401, 'unauthorized');
      }
    }
  });

  it('accepts the key in X-API-Key, never in the URL', async () => {
    expect((await h.req('/relay/active-calls', { headers: { 'x-api-key': h.keys.read } })).status).toBe(200);
    const msg = await expectError(await h.req(`/relay/active-calls?api_key=${h.keys.read}`), 401, 'unauthorized');
    expect(msg).toMatch(/never accepted in the URL/);
  });

  it('403 for a read key on control routes', async () => {
    for (const route of KEYED.filter((r) => r.permission === 'control')) {
      const r = await h.req(route.path, { method: route.method, auth: h.keys.read, ...(route.json ? { json: route.json } : {}) });
      expect(await expectError(r, 403, 'forbidden')).toMatch(/control/);
    }
  });

  it('permissions are independent: a control-only key may not read (REST and WebSocket)', async () => {
    const created = (await (await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName: 'click-to-dial', permissions: ['control'] } })).json()) as { apiKey: string };
    const reads = KEYED.filter((r) => r.permission === 'read');
    expect(reads.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual(expect.arrayContaining(['GET /relay/active-calls', 'GET /relay/cdr', 'GET /relay/cdr.csv', 'POST /relay/ws-ticket']));
    for (const route of reads) {
      expect(await expectError(await h.req(route.path, { method: route.method, auth: created.apiKey }), 403, 'forbidden')).toMatch(/`read`/);
    }
    expect((await refused(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: bearer(created.apiKey) })).status).toBe(403);
    // ... and may still do what it is for.
    expect((await h.req('/relay/active-calls/999999/drop', { method: 'POST', auth: created.apiKey })).status).toBe(404);
  });

  it('a revoked key gets 401 on the next request, REST and WebSocket, and its open socket closes', async () => {
    const created = (await (await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName: 'to-revoke', permissions: ['read'] } })).json()) as { id: string; apiKey: string };
    expect((await h.req('/relay/active-calls', { auth: created.apiKey })).status).toBe(200);
    const socket = await connectOk(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: bearer(created.apiKey) });
    expect((await h.req(`/admin/api-keys/${created.id}`, { method: 'DELETE', auth: h.adminToken })).status).toBe(200);
    for (const route of KEYED) {
      await expectError(await h.req(route.path, { method: route.method, auth: created.apiKey, ...(route.json ? { json: route.json } : {}) }), 401, 'unauthorized');
    }
    expect((await socket.closed).code).toBe(4001);
    expect((await refused(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: bearer(created.apiKey) })).status).toBe(401);
  });
});

describe('Host and Origin', () => {
  it('403 for a foreign Origin on REST (with a valid key) and on the WebSocket upgrade', async () => {
    await expectError(await h.req('/relay/active-calls', { auth: h.keys.read, headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
    await expectError(await h.req('/relay/health', { headers: { origin: 'null' } }), 403, 'forbidden');
    await expectError(await h.req('/admin/login', { method: 'POST', json: { username: 'admin', password: 'x' }, headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
    const ws = await refused(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: { ...bearer(h.keys.read), origin: 'https://evil.example' } });
    expect(ws).toEqual({ status: 403, body: { error: expect.any(String), code: 'forbidden' } });
  });

  it('allows the relay\'s own origin and configured origins', async () => {
    expect((await h.req('/relay/active-calls', { auth: h.keys.read, headers: { origin: h.url } })).status).toBe(200);
    expect((await h.req('/relay/active-calls', { auth: h.keys.read, headers: { origin: ALLOWED_ORIGIN } })).status).toBe(200);
    const c = await connectOk(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: { ...bearer(h.keys.read), origin: ALLOWED_ORIGIN } });
    await c.close();
  });

  it('403 for a foreign Host (DNS rebinding), REST and WebSocket; configured names pass', async () => {
    const port = new URL(h.url).port;
    const viaHost = (host: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
      // fetch() forbids setting Host, so speak HTTP over node:http.
      import('node:http').then(({ request }) => {
        const r = request({ host: '127.0.0.1', port, path: '/relay/health', headers: { host } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        r.on('error', reject);
        r.end();
      }, reject);
    });
    const evil = await viaHost(`evil.example:${port}`);
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body)).toEqual({ error: expect.any(String), code: 'forbidden' });
    expect((await viaHost(`localhost:${port}`)).status).toBe(200);
    expect((await viaHost(`relay.test:${port}`)).status).toBe(200);
    expect((await viaHost(`127.0.0.1:${Number(port) + 1}`)).status).toBe(403);
    const ws = await refused(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: { ...bearer(h.keys.read), host: `evil.example:${port}` } });
    expect(ws.status).toBe(403);
  });
});

describe('bodies and input', () => {
  it('413 on a 2 MiB body, on integration and admin routes', async () => {
    const big = JSON.stringify({ from: '101', to: 'x'.repeat(2 * 1024 * 1024) });
    await expectError(await h.req('/relay/calls', { method: 'POST', auth: h.keys.control, headers: { 'content-type': 'application/json' }, body: big }), 413, 'payload_too_large');
    await expectError(await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, headers: { 'content-type': 'application/json' }, body: big }), 413, 'payload_too_large');
  });

  it('400 for an API key client name with control characters', async () => {
    for (const clientName of ['crm\nINFO forged log line', 'tab\there', 'nul\u0000', 'esc\u001b[31m', 'bidi\u202Eevil', 'line\u2028sep']) {
      const r = await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName, permissions: ['read'] } });
      expect(await expectError(r, 400, 'bad_request'), JSON.stringify(clientName)).toMatch(/`clientName` must be one line without control characters/);
    }
    expect((await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName: 'CRM – Zürich 📞', permissions: ['read'] } })).status).toBe(201);
  });

  it('400 for a body that is not JSON, or not valid JSON', async () => {
    const post = (body: string, type: string) => h.req('/relay/calls', { method: 'POST', auth: h.keys.control, headers: { 'content-type': type }, body });
    expect(await expectError(await post('from=101&to=102', 'application/x-www-form-urlencoded'), 400, 'bad_request')).toMatch(/JSON/);
    expect(await expectError(await post('{"from": "101",', 'application/json'), 400, 'bad_request')).toMatch(/not valid JSON/);
    expect(await expectError(await post('"just a string"', 'application/json'), 400, 'bad_request')).toMatch(/JSON/);
  });

  it('400 naming the field for every malformed input tried', async () => {
    const cases: Array<[string, RegExp]> = [
      ['/relay/cdr?from=yesterday&to=2026-01-02', /`from`.*ISO-8601/],
      ['/relay/cdr?from=2026-01-01&to=2026-13-45', /`to`.*ISO-8601/],
      ['/relay/cdr?to=2026-01-02', /`from` is required/],
      ['/relay/cdr?from=2026-02-01&to=2026-01-01', /`from` must not be after `to`/],
      ['/relay/cdr?from=2025-01-01&to=2026-02-01', /`to`.*366 days/],
      [`/relay/cdr?${range}&limit=0`, /`limit`/],
      [`/relay/cdr?${range}&limit=1001`, /`limit`/],
      [`/relay/cdr?${range}&limit=ten`, /`limit`/],
      [`/relay/cdr?${range}&cursor=${encodeURIComponent("x' OR 1=1 --")}`, /`cursor`/],
      [`/relay/cdr?from=${encodeURIComponent("2026-01-01'; DROP TABLE cdroutput; --")}&to=2026-01-02`, /`from`/],
      [`/relay/cdr?${range}&orderBy=${encodeURIComponent('1; DELETE FROM api_keys')}`, /unknown field `orderBy`/],
      [`/relay/cdr.csv?from=2026-02-01&to=2026-01-01`, /`from` must not be after `to`/],
      [`/relay/cdr.csv?${range}&limit=5`, /unknown field `limit`/],
    ];
    for (const [p, message] of cases) {
      const msg = await expectError(await h.req(p, { auth: h.keys.read }), 400, 'bad_request');
      expect(msg, p).toMatch(message);
    }
    const body = async (json: unknown) => expectError(await h.req('/relay/calls', { method: 'POST', auth: h.keys.control, json }), 400, 'bad_request');
    expect(await body({ from: '101' })).toMatch(/`to` is required/);
    expect(await body({ from: "101'; DROP TABLE x;--", to: '102' })).toMatch(/`from` must be an extension number/);
    expect(await body({ from: '101', to: '102', extra: 1 })).toMatch(/unknown field `extra`/);
    expect(await expectError(await h.req('/relay/active-calls/abc/drop', { method: 'POST', auth: h.keys.control }), 400, 'bad_request')).toMatch(/`id`/);
    expect(await expectError(await h.req(`/relay/active-calls/${encodeURIComponent('1 OR 1=1')}/drop`, { method: 'POST', auth: h.keys.control }), 400, 'bad_request')).toMatch(/`id`/);
  });

  it('the CDR table survived the SQL fragments', async () => {
    const r = await h.req(`/relay/cdr?${range}&limit=1`, { auth: h.keys.read });
    expect(r.status).toBe(200);
  });
});

describe('unknown routes', () => {
  it('404 in the contract shape, for keyed and unkeyed paths', async () => {
    expect(await expectError(await h.req('/relay/nothing-here', { auth: h.keys.read }), 404, 'not_found')).toMatch(/openapi/);
    await expectError(await h.req('/relay/nothing-here'), 404, 'not_found');
    await expectError(await h.req('/relay/health', { method: 'DELETE' }), 404, 'not_found');
  });
});
