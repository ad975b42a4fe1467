// The integration routes of contract section 2 against the simulator:
// answers equal what the simulated 3CX holds, actions reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActiveCallsResponse, Health } from '../../../relay/contract/api-types.js';
import { ROUTES, type RouteSpec } from '../../../relay/contract/routes.js';
import { openApiPath } from '../../../relay/http/openapi.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ cdr: 'none' });
});
afterAll(async () => {
  await h?.close();
});

describe('GET /relay/health', () => {
  it('needs no key and reports the three components', async () => {
    const r = await h.req('/relay/health');
    expect(r.status).toBe(200);
    const body = (await r.json()) as Health;
    expect(body).toMatchObject({ status: 'ok', version: '9.9.9-test', uptimeS: expect.any(Number) });
    expect(body.components.xapi).toMatchObject({ state: 'connected', latencyMs: expect.any(Number), lastError: null, since: expect.any(String) });
    expect(body.components.callcontrol.state).toBe('connected');
    expect(body.components.database.state).toBe('unconfigured');
  });
});

describe('active calls', () => {
  it('equals the simulator, from XAPI (system-wide; Call Control only signals changes)', async () => {
    const ids = [h.sim.placeInboundCall(), h.sim.placeOutgoingCall('101', '+4930123456')];
    h.sim.answer(ids[0]!, '102');
    const body = await waitUntil(async () => {
      const b = (await (await h.req('/relay/active-calls', { auth: h.keys.read })).json()) as ActiveCallsResponse;
      const mine = b.value.filter((c) => ids.includes(c.Id));
      return mine.length === 2 && mine.some((c) => c.Status === 'Talking') ? b : null;
    }, 'both calls visible');
    expect(body.source).toBe('xapi');
    expect(Date.parse(body.asOf)).not.toBeNaN();
    const strip = (c: { Id: number; Caller: string; Callee: string; Status: string }) => ({ Id: c.Id, Caller: c.Caller, Callee: c.Callee, Status: c.Status });
    expect(body.value.map(strip).sort((a, b) => a.Id - b.Id)).toEqual(h.sim.activeCalls().map(strip).sort((a, b) => a.Id - b.Id));
  });

  it('drops a call in the simulator (204), and 404 for an unknown call', async () => {
    const id = h.sim.placeInboundCall();
    await waitUntil(async () => {
      const b = (await (await h.req('/relay/active-calls', { auth: h.keys.control })).json()) as ActiveCallsResponse;
      return b.value.some((c) => c.Id === id);
    }, 'call visible');
    const r = await h.req(`/relay/active-calls/${id}/drop`, { method: 'POST', auth: h.keys.control });
    expect(r.status).toBe(204);
    expect(h.sim.stats.droppedCallIds).toContain(id);
    expect(h.sim.activeCalls().some((c) => c.Id === id)).toBe(false);
    const missing = await h.req('/relay/active-calls/987654/drop', { method: 'POST', auth: h.keys.control });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.any(String), code: 'not_found' });
  });

  it('places a call from an extension (202) that shows up in the simulator', async () => {
    const before = new Set(h.sim.activeCalls().map((c) => c.Id));
    const r = await h.req('/relay/calls', { method: 'POST', auth: h.keys.control, json: { from: '103', to: '+441234567' } });
    expect(r.status).toBe(202);
    const body = (await r.json()) as { callId?: string };
    expect(body).toEqual(expect.any(Object));
    const fresh = h.sim.activeCalls().filter((c) => !before.has(c.Id));
    expect(fresh.length).toBe(1);
    expect(fresh[0]!.Callee).toContain('441234567');
  });
});

describe('POST /relay/ws-ticket', () => {
  it('issues a single-use ticket with a 30 s expiry', async () => {
    const r = await h.req('/relay/ws-ticket', { method: 'POST', auth: h.keys.read });
    expect(r.status).toBe(201);
    const t = (await r.json()) as { ticket: string; expiresAt: string };
    expect(t.ticket).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const ttl = Date.parse(t.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(20_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});

describe('GET /relay/openapi.json', () => {
  it('is an OpenAPI 3.1 document naming every contract route', async () => {
    const r = await h.req('/relay/openapi.json');
    expect(r.status).toBe(200);
    const doc = (await r.json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: object }>>; components: { securitySchemes: object } };
    expect(doc.openapi).toBe('3.1.0');
    // Exactly the table's routes, each with the permission or role it needs.
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(documented.sort()).toEqual(Object.values(ROUTES).map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    for (const r of Object.values(ROUTES) as RouteSpec[]) {
      const op = doc.paths[openApiPath(r.path)]![r.method.toLowerCase()] as unknown as Record<string, unknown>;
      if (r.auth.kind === 'key') expect(op['x-permission'], `${r.method} ${r.path}`).toBe(r.auth.permission);
      if (r.auth.kind === 'admin') expect(op['x-role'], `${r.method} ${r.path}`).toBe(r.auth.role);
    }
    expect(doc.paths['/relay/cdr']!.get!.parameters!.map((x) => x.name)).toEqual(['from', 'to', 'limit', 'cursor']);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(expect.arrayContaining(['bearerKey', 'headerKey', 'adminBearer']));
  });
});
