// Alert rules and history through the HTTP API of a running relay: rules
// validated at the edge and admin-only to change; an upstream outage fires an
// upstream_down alert, its end clears it; acknowledge is stored with the
// signed-in user; every transition is an `alert` frame a WebSocket client
// replays with ?since=, and reaches the desktop hook (onAlert).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertFrame } from '../../../relay/contract/api-types.js';
import type { AlertEntry, AlertRule, AlertRuleInput } from '../../../relay/contract/supervisor-types.js';
import { bearer, connectOk } from '../ws/ws-harness.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
const heard: AlertEntry[] = [];
beforeAll(async () => {
  h = await startHarness({ cdr: 'none', tuning: { alertIntervalMs: 100 } });
  h.service.onAlert((e) => heard.push(e));
});
afterAll(async () => {
  await h?.close();
});

const json = async <T>(r: Response): Promise<T> => (await r.json()) as T;
const rule = (over: Partial<AlertRuleInput> = {}) => ({
  name: 'PBX unreachable', kind: 'upstream_down', threshold: 0, queueId: null, severity: 'critical', quietHours: [], cooldownS: 0, enabled: true, ...over,
});
const alerts = async (query = '') => (await json<{ alerts: AlertEntry[] }>(await h.req(`/relay/alerts${query}`, { auth: h.keys.read }))).alerts;

describe('alert rules', () => {
  it('refuses bad input with a 400 naming the field', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [rule({ quietHours: [{ days: [1], from: '24:00', to: '06:00' }] }), 'from'],
      [rule({ quietHours: [{ days: [7], from: '22:00', to: '06:00' }] }), 'days'],
      [rule({ threshold: -1 }), 'threshold'],
      [rule({ cooldownS: -5 }), 'cooldownS'],
      [rule({ name: 'line\nbreak' }), 'name'],
      [{ ...rule(), kind: 'coffee_low' }, 'kind'],
      [{ ...rule(), extra: true }, 'extra'],
    ];
    for (const [body, field] of bad) {
      const r = await h.req('/admin/alert-rules', { method: 'POST', auth: h.adminToken, json: body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((await json<{ error: string }>(r)).error).toContain(field);
    }
  });

  it('viewers read rules but only admins change them; update and delete answer 404 for an unknown id', async () => {
    expect((await h.req('/admin/alert-rules', { method: 'POST', auth: h.viewerToken, json: rule() })).status).toBe(403);
    const created = await json<AlertRule>(await h.req('/admin/alert-rules', { method: 'POST', auth: h.adminToken, json: rule({ name: 'Disabled', enabled: false }) }));
    expect(created).toMatchObject({ name: 'Disabled', createdBy: 'admin', enabled: false });
    const { rules } = await json<{ rules: AlertRule[] }>(await h.req('/admin/alert-rules', { auth: h.viewerToken }));
    expect(rules.map((r) => r.id)).toContain(created.id);
    expect((await h.req(`/admin/alert-rules/${created.id}`, { method: 'PUT', auth: h.viewerToken, json: rule() })).status).toBe(403);
    const updated = await json<AlertRule>(await h.req(`/admin/alert-rules/${created.id}`, { method: 'PUT', auth: h.adminToken, json: rule({ name: 'Renamed', enabled: false }) }));
    expect(updated).toMatchObject({ id: created.id, name: 'Renamed' });
    expect((await h.req('/admin/alert-rules/99999', { method: 'PUT', auth: h.adminToken, json: rule() })).status).toBe(404);
    expect(await json(await h.req(`/admin/alert-rules/${created.id}`, { method: 'DELETE', auth: h.adminToken }))).toEqual({ id: created.id, deleted: true });
    expect((await h.req(`/admin/alert-rules/${created.id}`, { method: 'DELETE', auth: h.adminToken })).status).toBe(404);
  });
});

describe('an outage as an alert', () => {
  it('fires, is acknowledged by the user, clears; frames replay; the desktop hook hears each', async () => {
    const before = heard.length;
    const created = await json<AlertRule>(await h.req('/admin/alert-rules', { method: 'POST', auth: h.adminToken, json: rule() }));
    expect(await alerts()).toEqual([]);

    const pbx = { baseUrl: h.sim.url, clientId: h.sim.clientId, clientSecret: h.sim.clientSecret };
    await h.service.reconfigure({ pbx: { ...pbx, baseUrl: 'http://127.0.0.1:9' } });
    const [fired] = await waitUntil(async () => ((await alerts('?state=fired')).length ? alerts('?state=fired') : null), 'the alert to fire');
    expect(fired).toMatchObject({ ruleId: created.id, rule: 'PBX unreachable', severity: 'critical', silenced: false, clearedAt: null });
    expect(fired!.message).toMatch(/upstream down/);

    const acked = await h.req(`/admin/alerts/${fired!.id}/acknowledge`, { method: 'POST', auth: h.viewerToken });
    expect(acked.status).toBe(200);
    expect(await json(acked)).toMatchObject({ id: fired!.id, state: 'acknowledged', acknowledgedBy: 'vera', acknowledgedAt: expect.any(String) });
    expect((await h.req('/admin/alerts/99999/acknowledge', { method: 'POST', auth: h.viewerToken })).status).toBe(404);
    expect((await h.req('/admin/alerts/x/acknowledge', { method: 'POST', auth: h.viewerToken })).status).toBe(400);
    expect((await h.req('/admin/alerts/1/acknowledge', { method: 'POST' })).status).toBe(401);

    await h.service.reconfigure({ pbx });
    const [cleared] = await waitUntil(async () => ((await alerts('?state=cleared')).length ? alerts('?state=cleared') : null), 'the alert to clear', 15_000);
    expect(cleared).toMatchObject({ id: fired!.id, acknowledgedBy: 'vera', clearedAt: expect.any(String) });
    const { alerts: dashboard } = await json<{ alerts: AlertEntry[] }>(await h.req('/admin/alerts?limit=5', { auth: h.viewerToken }));
    expect(dashboard[0]).toEqual(cleared);
    expect((await h.req('/relay/alerts?state=bogus', { auth: h.keys.read })).status).toBe(400);
    expect((await h.req('/relay/alerts')).status).toBe(401);

    const ws = await connectOk(`${h.url.replace('http', 'ws')}/relay/ws?since=0`, { headers: bearer(h.keys.read) });
    const states = () => ws.frames.filter((f): f is AlertFrame => f.type === 'alert' && f.data.id === fired!.id).map((f) => f.data.state);
    await ws.waitFor(() => states().length === 3);
    expect(states()).toEqual(['fired', 'acknowledged', 'cleared']);
    await ws.close();
    expect(heard.slice(before).filter((e) => e.id === fired!.id).map((e) => e.state)).toEqual(['fired', 'acknowledged', 'cleared']);
  });
});
