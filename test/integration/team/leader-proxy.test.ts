// A follower hands what needs 3CX to the team leader: the leader is a whole
// relay (relay-harness: the real service on the 3CX simulator and a seeded
// call-record database); the follower is the request path a follower's app
// runs before its routes (JSON body parser, leader proxy, error handler),
// with a marker in place of its own routes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveCallsResponse, Stats } from '../../../relay/contract/api-types.js';
import { createLogger, memorySink, type LogFields } from '../../../relay/core/logger.js';
import { createErrorHandler } from '../../../relay/http/error-handler.js';
import { jsonBody } from '../../../relay/http/json-body.js';
import { sendJson } from '../../../relay/http/send-json.js';
import { FORWARDED_BY_HEADER, leaderProxy, NO_LEADER_MESSAGE } from '../../../relay/team/leader-proxy.js';
import { needsLeader } from '../../../relay/team/leader-routes.js';
import { parseCsv } from '../../support/parse-csv.js';
import { CDR_RANGE, CDR_RANGE_QUERY, startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

interface Follower {
  url: string;
  state: { follower: boolean; leader: string | null };
  /** Requests the follower answered itself (its own routes). */
  local: string[];
  unexpected: unknown[];
  logs: LogFields[];
  close(): Promise<void>;
}

async function startFollower(memberId: string, leader: string | null): Promise<Follower> {
  const state = { follower: true, leader };
  const local: string[] = [];
  const unexpected: unknown[] = [];
  const sink = memorySink();
  const logger = createLogger(sink);
  const app = express();
  app.use(jsonBody());
  app.use(leaderProxy({ isFollower: () => state.follower, leaderUrl: () => state.leader, memberId, logger, headersTimeoutMs: 5_000 }));
  app.use((req, res) => {
    local.push(`${req.method} ${req.path}`);
    sendJson(res, { servedBy: memberId });
  });
  app.use(createErrorHandler(logger, (e) => unexpected.push(e)));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state, local, unexpected, logs: sink.records,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let h: Harness;
let f: Follower;

beforeAll(async () => {
  h = await startHarness();
  f = await startFollower('relay-f', h.url);
});
afterAll(async () => {
  await f?.close();
  await h?.close();
});
beforeEach(() => {
  f.state.follower = true;
  f.state.leader = h.url;
  f.local.length = 0;
});

const via = (base: string, p: string, init: RequestInit & { auth?: string; json?: unknown } = {}) => {
  const { auth, json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (auth) headers.set('authorization', `Bearer ${auth}`);
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(base + p, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
};

describe('a follower forwards what needs 3CX to the leader', () => {
  it('drops a call through the leader (204), and passes the leader\'s 404 back', async () => {
    const id = h.sim.placeInboundCall();
    await waitUntil(async () => ((await (await h.req('/relay/active-calls', { auth: h.keys.read })).json()) as ActiveCallsResponse).value.some((c) => c.Id === id), 'call visible');
    const r = await via(f.url, `/relay/active-calls/${id}/drop`, { method: 'POST', auth: h.keys.control });
    expect(r.status).toBe(204);
    expect(h.sim.stats.droppedCallIds).toContain(id);
    const missing = await via(f.url, '/relay/active-calls/987654/drop', { method: 'POST', headers: { 'x-api-key': h.keys.control } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.any(String), code: 'not_found' });
    expect(f.local).toEqual([]);
  });

  it('places a call with the JSON body re-sent to the leader (202)', async () => {
    const before = new Set(h.sim.activeCalls().map((c) => c.Id));
    const r = await via(f.url, '/relay/calls', { method: 'POST', auth: h.keys.control, json: { from: '103', to: '+441234567' } });
    expect(r.status).toBe(202);
    expect(h.sim.activeCalls().filter((c) => !before.has(c.Id)).map((c) => c.Callee)).toEqual([expect.stringContaining('441234567')]);
  });

  it('streams the CSV export back as the leader sends it: same status, type, disposition and rows', async () => {
    const direct = await h.req(`/relay/cdr.csv?${CDR_RANGE_QUERY}`, { auth: h.keys.read });
    const r = await via(f.url, `/relay/cdr.csv?${CDR_RANGE_QUERY}`, { auth: h.keys.read });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe(direct.headers.get('content-type'));
    expect(r.headers.get('content-disposition')).toBe(direct.headers.get('content-disposition'));
    const text = await r.text();
    expect(text).toBe(await direct.text());
    expect(parseCsv(text)).toHaveLength(CDR_RANGE.rows + 1);
    // The dashboard's copy, with an admin session.
    const admin = await via(f.url, `/admin/cdr.csv?${CDR_RANGE_QUERY}`, { auth: h.viewerToken });
    expect(admin.status).toBe(200);
    expect(parseCsv(await admin.text())).toHaveLength(CDR_RANGE.rows + 1);
    expect(f.local).toEqual([]);
  });

  it('passes the leader\'s refusals back unchanged: no key 401, bad query 400, viewer 403', async () => {
    const noKey = await via(f.url, `/relay/cdr?${CDR_RANGE_QUERY}`);
    expect(noKey.status).toBe(401);
    const directNoKey = await h.req(`/relay/cdr?${CDR_RANGE_QUERY}`);
    for (const name of ['www-authenticate', 'content-type', 'cache-control', 'x-content-type-options']) {
      expect(noKey.headers.get(name), name).toBe(directNoKey.headers.get(name));
    }
    expect((await noKey.json() as { code: string }).code).toBe('unauthorized');
    const badQuery = await via(f.url, '/relay/cdr?from=yesterday', { auth: h.keys.read });
    expect(badQuery.status).toBe(400);
    expect((await badQuery.json() as { code: string }).code).toBe('bad_request');
    const viewer = await via(f.url, '/admin/connections/xapi/reconnect', { method: 'POST', auth: h.viewerToken });
    expect(viewer.status).toBe(403);
    const page = await via(f.url, `/relay/cdr?${CDR_RANGE_QUERY}&limit=5`, { auth: h.keys.read });
    expect(page.status).toBe(200);
    expect((await page.json() as { rows: unknown[] }).rows).toHaveLength(5);
    const stats = await via(f.url, '/admin/stats', { auth: h.viewerToken });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ callsToday: expect.any(Number) } satisfies Partial<Record<keyof Stats, unknown>>);
    expect(f.local).toEqual([]);
  });

  it('a malformed JSON body is a 400 on the follower, never forwarded', async () => {
    const before = h.sim.activeCalls().length;
    const r = await fetch(`${f.url}/relay/calls`, {
      method: 'POST', headers: { authorization: `Bearer ${h.keys.control}`, 'content-type': 'application/json' }, body: '{"from": "103", "to":',
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: 'the request body is not valid JSON', code: 'bad_request' });
    expect(h.sim.activeCalls().length).toBe(before);
    expect(f.unexpected).toEqual([]);
  });

  it('answers what it serves itself, and everything while it leads', async () => {
    expect(await (await via(f.url, '/relay/active-calls', { auth: h.keys.read })).json()).toEqual({ servedBy: 'relay-f' });
    expect(await (await via(f.url, '/relay/health')).json()).toEqual({ servedBy: 'relay-f' });
    f.state.follower = false;
    expect(await (await via(f.url, `/relay/cdr?${CDR_RANGE_QUERY}`, { auth: h.keys.read })).json()).toEqual({ servedBy: 'relay-f' });
    expect(f.local).toEqual(['GET /relay/active-calls', 'GET /relay/health', 'GET /relay/cdr']);
  });
});

describe('no leader to forward to', () => {
  const expectNoLeader = async (r: Response) => {
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await r.json()).toEqual({ error: NO_LEADER_MESSAGE, code: 'no_leader' });
  };

  it('503 in the contract\'s error shape while no leader is known', async () => {
    f.state.leader = null;
    await expectNoLeader(await via(f.url, `/relay/cdr.csv?${CDR_RANGE_QUERY}`, { auth: h.keys.read }));
    expect(f.local).toEqual([]);
    expect(f.unexpected).toEqual([]);
  });

  it('503 when the leader does not answer (nothing listens at its address)', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    f.state.leader = `http://127.0.0.1:${port}`;
    await expectNoLeader(await via(f.url, '/relay/active-calls/1/drop', { method: 'POST', auth: h.keys.control }));
    expect(f.unexpected).toEqual([]);
  });

  it('never sends credentials in clear text off this machine: an http:// leader URL beyond loopback is refused', async () => {
    f.state.leader = 'http://192.0.2.10:8082';
    await expectNoLeader(await via(f.url, `/relay/cdr?${CDR_RANGE_QUERY}`, { auth: h.keys.read }));
    f.state.leader = 'ftp://127.0.0.1:8082';
    await expectNoLeader(await via(f.url, `/relay/cdr?${CDR_RANGE_QUERY}`, { auth: h.keys.read }));
    expect(f.logs.filter((r) => r.msg === 'refused to forward credentials to a leader URL without TLS')).toHaveLength(2);
  });

  it('never forwards a forwarded request again: two followers pointing at each other answer 503, no loop', async () => {
    const g = await startFollower('relay-g', f.url);
    try {
      // g hands the request to f (its leader, it believes); f, a follower too, refuses to pass it on.
      f.state.leader = g.url;
      const r = await via(g.url, `/relay/cdr?${CDR_RANGE_QUERY}`, { auth: h.keys.read });
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({ code: 'no_leader', error: expect.stringContaining('retry in a few seconds') });
      const direct = await via(f.url, `/relay/cdr?${CDR_RANGE_QUERY}`, { auth: h.keys.read, headers: { [FORWARDED_BY_HEADER]: 'relay-x' } });
      expect(direct.status).toBe(503);
      expect(await direct.json()).toMatchObject({ code: 'no_leader', error: expect.stringContaining('retry in a few seconds') });
      expect([...f.local, ...g.local]).toEqual([]);
    } finally {
      await g.close();
    }
  });
});

describe('which requests need the leader', () => {
  it('the routes that reach 3CX or its database, HEAD with GET, any case and a trailing slash, as express matches them', () => {
    for (const [method, path] of [
      ['POST', '/relay/active-calls/42/drop'], ['POST', '/relay/calls'], ['GET', '/relay/cdr'], ['GET', '/relay/cdr.csv'], ['HEAD', '/relay/cdr.csv'],
      ['POST', '/admin/active-calls/42/drop'], ['POST', '/admin/agents/101/queue-status'], ['POST', '/admin/connections/xapi/reconnect'],
      ['GET', '/admin/cdr'], ['GET', '/admin/cdr.csv'], ['GET', '/admin/stats'], ['POST', '/admin/alerts/3/acknowledge'],
      ['POST', '/admin/alert-rules'], ['PUT', '/admin/alert-rules/3'], ['DELETE', '/admin/alert-rules/3'],
      ['GET', '/RELAY/CDR.CSV'], ['POST', '/relay/calls/'],
    ] as const) expect(needsLeader(method, path), `${method} ${path}`).toBe(true);
    for (const [method, path] of [
      ['GET', '/relay/active-calls'], ['GET', '/relay/health'], ['GET', '/relay/queues'], ['POST', '/relay/ws-ticket'], ['GET', '/relay/alerts'],
      ['GET', '/admin/alert-rules'], ['POST', '/admin/login'], ['DELETE', '/admin/api-keys/abc'], ['GET', '/relay/cdr.csvx'],
      ['POST', '/relay/active-calls/42/drop/again'], ['GET', '/relay/calls'], ['GET', '/admin/connections'],
    ] as const) expect(needsLeader(method, path), `${method} ${path}`).toBe(false);
  });
});
