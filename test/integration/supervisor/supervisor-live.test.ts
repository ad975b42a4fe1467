// The supervisor view against the simulator, end to end through the real
// relay: the figures match what the simulated PBX knows (waiting, longest
// wait, answered, abandoned, service level) within one refresh; many pollers
// and WebSocket clients cost the PBX no more XAPI requests than none; the
// trunk-down fault reaches GET /relay/pbx.
import path from 'node:path';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentState, PbxOverview, QueueFigures } from '../../../relay/contract/supervisor-types.js';
import { SQLITE_FILE_NAME } from '../../../relay/store/open-sqlite.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

const REFRESH_MS = 300;
let h: Harness;
// The simulator's clock, shifted so callers can have waited a minute without the test waiting.
let offsetMs = 0;

beforeAll(async () => {
  h = await startHarness({ cdr: 'none', sim: { clock: { now: () => Date.now() + offsetMs } }, tuning: { supervisor: { refreshMs: REFRESH_MS, minGapMs: 100 }, websocket: { maxSocketsPerKey: 200 } } });
}, 60_000);
afterAll(async () => h?.close());

async function queues(): Promise<QueueFigures[]> {
  const res = await h.req('/relay/queues', { auth: h.keys.read });
  expect(res.status).toBe(200);
  return ((await res.json()) as { queues: QueueFigures[] }).queues;
}
const sales = async () => (await queues()).find((q) => q.number === '800');
const simSales = () => h.sim.queueFigures().find((q) => q.dn === '800')!;

it('queue figures match the simulator: waiting and longest wait, then answered, abandoned and service level', async () => {
  offsetMs = -60_000;
  const a = h.sim.placeInboundCall({ queue: '800' });
  const b = h.sim.placeInboundCall({ queue: '800' });
  const c = h.sim.placeInboundCall({ queue: '800' });
  offsetMs = 0;
  const waiting = await waitUntil(async () => {
    const q = await sales();
    return q && q.callsWaiting.value === 3 ? q : null;
  }, 'three callers waiting in Sales');
  expect(simSales().waiting).toBe(3);
  expect(Math.abs(waiting.longestWaitS.value - simSales().longestWaitS)).toBeLessThanOrEqual(1);
  expect(waiting.longestWaitS.value).toBeGreaterThanOrEqual(59);
  expect(waiting.callsWaiting.stale).toBe(false);
  expect(waiting.slaSeconds).toBe(20);
  expect(waiting.agentsLoggedIn.value).toBe(6);

  offsetMs = -50_000;
  h.sim.ring(a, '101');
  h.sim.answer(a, '101'); // waited 10 s: within Sales' 20 s SLA
  offsetMs = -20_000;
  h.sim.ring(b, '102');
  h.sim.answer(b, '102'); // waited 40 s: outside
  offsetMs = 0;
  h.sim.hangUp(c); // abandoned
  const truth = simSales();
  expect(truth).toMatchObject({ waiting: 0, answered: 2, abandoned: 1, answeredWithinSla: 1 });
  const done = await waitUntil(async () => {
    const q = await sales();
    return q && q.answeredToday.value === 2 && q.abandonedToday.value === 1 ? q : null;
  }, 'answered and abandoned counted', 5 * REFRESH_MS + 5_000);
  expect(done.callsWaiting.value).toBe(truth.waiting);
  // No call-record database here: today's figures are the relay's own observation, and say so.
  expect(done.answeredToday.source).toBe('observed');
  expect(done.callsWaiting.source).toBe('pbx');
  expect(done.serviceLevelToday.value).toBe(truth.serviceLevel);
  // Waits of 10 s and 40 s; 3CX's times have whole seconds, so each may be off by one.
  expect(Math.abs(done.avgWaitS.value! - 25)).toBeLessThanOrEqual(1);
  expect(done.agentsBusy.value).toBe(2);
  const agents = ((await (await h.req('/relay/agents', { auth: h.keys.read })).json()) as { agents: AgentState[] }).agents;
  expect(agents.find((x) => x.extension === '101')).toMatchObject({ answeredToday: truth.answeredBy['101'], queues: ['800'], currentCall: { status: 'Talking' } });
  const one = await h.req(`/relay/queues/${done.id}`, { auth: h.keys.read });
  expect(((await one.json()) as QueueFigures).number).toBe('800');
  expect((await h.req('/relay/queues/999', { auth: h.keys.read })).status).toBe(404);
  h.sim.hangUp(a);
  h.sim.hangUp(b);
}, 30_000);

it('the trunk-down fault shows in GET /relay/pbx within a refresh', async () => {
  h.sim.faults.trunksDown = true;
  try {
    const pbx = await waitUntil(async () => {
      const p = (await (await h.req('/relay/pbx', { auth: h.keys.read })).json()) as PbxOverview;
      return p.trunks.registered === 0 ? p : null;
    }, 'trunks down', 5_000);
    expect(pbx.trunks.total).toBe(1);
    expect(pbx.version).toBe(h.sim.pbxVersion);
    expect(pbx.stale).toBe(false);
  } finally {
    h.sim.faults.trunksDown = false;
  }
});

async function xapiRequestsDuring(ms: number, load: () => Promise<void>): Promise<number> {
  const before = h.sim.stats.xapiRequests;
  const until = Date.now() + ms;
  await load().catch(() => {});
  while (Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return h.sim.stats.xapiRequests - before;
}

it('100 pollers and 100 WebSocket clients cost the PBX no more XAPI requests than one viewer', async () => {
  const windowMs = 3_000;
  const oneViewer = await xapiRequestsDuring(windowMs, async () => {
    await h.req('/relay/queues', { auth: h.keys.read });
  });
  const sockets = await Promise.all(Array.from({ length: 100 }, () => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`${h.url.replace('http', 'ws')}/relay/ws`, { headers: { authorization: `Bearer ${h.keys.read}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  })));
  const frames = sockets.map(() => new Set<string>());
  sockets.forEach((ws, i) => ws.on('message', (d) => frames[i]!.add((JSON.parse(String(d)) as { type: string }).type)));
  try {
    const crowd = await xapiRequestsDuring(windowMs, async () => {
      const until = Date.now() + windowMs;
      // Keep a call list moving so frames flow while 100 pollers poll.
      const call = h.sim.placeInboundCall({ queue: '801' });
      await Promise.all(Array.from({ length: 100 }, async (_x, i) => {
        const paths = ['/relay/queues', '/relay/agents', '/relay/pbx'];
        while (Date.now() < until) await (await h.req(paths[i % 3]!, { auth: h.keys.read })).arrayBuffer();
      }));
      h.sim.hangUp(call);
    });
    // Same refresh loop either way; the call placed adds at most a change-triggered refresh or two.
    expect(crowd).toBeLessThanOrEqual(oneViewer + 12);
    expect(frames.every((types) => types.has('queue_stats'))).toBe(true);
  } finally {
    for (const ws of sockets) ws.terminate();
  }
}, 30_000);

it('an admin logs an agent out of the queues: the PBX gets it, every viewer sees it, the audit trail names the admin', async () => {
  const body = { status: 'LoggedOut' };
  expect((await h.req('/admin/agents/104/queue-status', { method: 'POST', auth: h.viewerToken, json: body })).status).toBe(403);
  expect(h.sim.queueStatus('104')).toBe('LoggedIn');
  expect((await h.req('/admin/agents/104/queue-status', { method: 'POST', auth: h.adminToken, json: { status: 'Away' } })).status).toBe(400);
  expect((await h.req('/admin/agents/999/queue-status', { method: 'POST', auth: h.adminToken, json: body })).status).toBe(404);
  const res = await h.req('/admin/agents/104/queue-status', { method: 'POST', auth: h.adminToken, json: body });
  expect(res.status).toBe(204);
  expect(h.sim.queueStatus('104')).toBe('LoggedOut');
  // The refresh that followed the change already shows it, to the dashboard and to integrations.
  const agents = ((await (await h.req('/admin/agents', { auth: h.viewerToken })).json()) as { agents: AgentState[] }).agents;
  expect(agents.find((a) => a.extension === '104')?.queueStatus).toBe('LoggedOut');
  const q = ((await (await h.req('/admin/queues', { auth: h.viewerToken })).json()) as { queues: QueueFigures[] }).queues.find((x) => x.number === '800')!;
  expect(q.agentsLoggedIn.value).toBe(5);
  const db = new Database(path.join(h.dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    const rows = db.prepare('select actor, extension, action from agent_audit order by id').all();
    expect(rows).toEqual([{ actor: 'admin', extension: '104', action: 'queue_status:LoggedOut' }]);
  } finally {
    db.close();
  }
  await h.req('/admin/agents/104/queue-status', { method: 'POST', auth: h.adminToken, json: { status: 'LoggedIn' } });
});

it('when XAPI stops answering, its figures turn stale past the threshold and live again after', async () => {
  h.sim.faults.xapiForbidden = true;
  try {
    const frozen = await waitUntil(async () => {
      const q = await sales();
      return q?.agentsLoggedIn.stale ? q : null;
    }, 'agent figures stale', 3 * REFRESH_MS + 5_000);
    // The number stays, with the time it was last confirmed.
    expect(frozen.agentsLoggedIn.value).toBe(6);
    expect(Date.now() - Date.parse(frozen.agentsLoggedIn.asOf!)).toBeGreaterThan(3 * REFRESH_MS);
    const pbx = (await (await h.req('/relay/pbx', { auth: h.keys.read })).json()) as PbxOverview;
    expect(pbx.stale).toBe(true);
  } finally {
    h.sim.faults.xapiForbidden = false;
  }
  await waitUntil(async () => {
    const q = await sales();
    return q && !q.agentsLoggedIn.stale;
  }, 'live again', 10_000);
}, 30_000);
