// The supervisor view with the call-record database connected, end to end
// through the real relay: today's figures come from `callcent_queuecalls`
// (rows written before the relay started, so a restart does not zero them,
// plus the simulator's finished queue calls) and say so (`source: 'cdr'`);
// with a mapping that does not fit the database they fall back to the
// relay's own observation, logged once, and the database stays healthy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentState, QueueFigures } from '../../../relay/contract/supervisor-types.js';
import type { Health } from '../../../relay/contract/api-types.js';
import { localDayStart } from '../../../relay/core/local-day.js';
import { insertQueueCallRows, type QueueCallRow } from '../../../relay/sim/queuecalls-table.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';

const TUNING = { supervisor: { refreshMs: 300, minGapMs: 100, recordsIntervalMs: 400 } };

function earlier(ms: number): Date {
  const now = Date.now();
  return new Date(Math.max(localDayStart(now), now - ms));
}

function row(q: string, start: Date, wait: number, talk: number, agent: string): QueueCallRow {
  return {
    q_num: q, time_start: start, time_end: new Date(start.getTime() + (wait + talk) * 1000), ts_waiting: wait, ts_polling: 0, ts_servicing: talk,
    reason_noanswercode: talk > 0 ? 0 : 3, reason_noanswerdesc: '', call_history_id: null, from_userpart: '+4930555', from_displayname: null, to_dn: agent,
  };
}

async function get<T>(h: Harness, path: string): Promise<T> {
  const res = await h.req(path, { auth: h.keys.read });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
const salesOf = async (h: Harness) => (await get<{ queues: QueueFigures[] }>(h, '/relay/queues')).queues.find((q) => q.number === '800');
const agentOf = async (h: Harness, ext: string) => (await get<{ agents: AgentState[] }>(h, '/relay/agents')).agents.find((a) => a.extension === ext);

describe('today from the call records', () => {
  let db: ScratchDatabase;
  let h: Harness;
  let offsetMs = 0;

  beforeAll(async () => {
    db = await createScratchDatabase('supervisor_records', { cdrSchema: true });
    // Handled before this relay started: a relay that only observed would show zero.
    await withClient(db.url, (c) => insertQueueCallRows(c, [
      row('800', earlier(3_600_000), 8, 50, '101'), // within Sales' 20 s
      row('800', earlier(1_800_000), 30, 0, ''), // abandoned
      row('800', new Date(localDayStart(Date.now()) - 60_000), 5, 40, '101'), // yesterday
    ]));
    h = await startHarness({
      cdr: { url: db.url },
      sim: { clock: { now: () => Date.now() + offsetMs }, cdrDatabaseUrl: db.url },
      tuning: TUNING,
    });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('shows the records of calls the relay never saw, with `cdr` as their source', async () => {
    const sales = await waitUntil(async () => {
      const q = await salesOf(h);
      return q?.answeredToday.source === 'cdr' ? q : null;
    }, 'Sales figures from the records');
    expect(sales.answeredToday.value).toBe(1);
    expect(sales.abandonedToday).toMatchObject({ value: 1, source: 'cdr', stale: false });
    expect(sales.serviceLevelToday.value).toBe(50);
    expect(sales.avgWaitS.value).toBe(8);
    expect(sales.avgTalkS.value).toBe(50);
    // Live parts stay live.
    expect(sales.callsWaiting.source).toBe('pbx');
    expect(await agentOf(h, '101')).toMatchObject({ answeredToday: 1, answeredTodaySource: 'cdr' });
  });

  it("adds the simulator's finished queue calls, matching what the simulator knows", async () => {
    offsetMs = -30_000;
    const a = h.sim.placeInboundCall({ queue: '800' });
    const b = h.sim.placeInboundCall({ queue: '800' });
    offsetMs = -18_000;
    h.sim.ring(a, '102');
    h.sim.answer(a, '102'); // waited 12 s: within 20 s
    offsetMs = 0;
    h.sim.hangUp(a); // talked 18 s
    h.sim.hangUp(b); // abandoned after 30 s
    await h.sim.flushCdr();
    const truth = h.sim.queueFigures().find((q) => q.dn === '800')!;
    expect(truth).toMatchObject({ answered: 1, abandoned: 1, answeredWithinSla: 1 });
    const sales = await waitUntil(async () => {
      const q = await salesOf(h);
      return q && q.answeredToday.source === 'cdr' && q.answeredToday.value === 1 + truth.answered ? q : null;
    }, 'the simulated calls in the records', 10_000);
    expect(sales.abandonedToday.value).toBe(1 + truth.abandoned);
    expect(sales.serviceLevelToday.value).toBe(50); // (1 + 1) within of 4 decided
    expect(sales.avgWaitS.value).toBe(10); // (8 + 12) / 2
    expect(sales.avgTalkS.value).toBe(34); // (50 + 18) / 2
    expect(await agentOf(h, '102')).toMatchObject({ answeredToday: truth.answeredBy['102'], answeredTodaySource: 'cdr' });
  });
});

describe('records that cannot answer', () => {
  let db: ScratchDatabase;
  let h: Harness;

  beforeAll(async () => {
    db = await createScratchDatabase('supervisor_records_missing', { cdrSchema: true });
    h = await startHarness({ cdr: { url: db.url }, tuning: { supervisor: { ...TUNING.supervisor, queueCallsMapping: { table: 'callcent_queuecalls_v99' } } } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it("fall back to the relay's own observation, logged once, with the database still healthy", async () => {
    const a = h.sim.placeInboundCall({ queue: '800' });
    // The relay counts only calls it saw waiting.
    await waitUntil(async () => (await salesOf(h))?.callsWaiting.value === 1, 'the caller seen waiting');
    h.sim.answer(a, '101');
    const sales = await waitUntil(async () => {
      const q = await salesOf(h);
      return q && q.answeredToday.value === 1 ? q : null;
    }, 'the observed answer');
    expect(sales.answeredToday.source).toBe('observed');
    h.sim.hangUp(a);
    // Several record intervals pass.
    await new Promise((r) => setTimeout(r, 5 * TUNING.supervisor.recordsIntervalMs));
    expect((await salesOf(h))!.answeredToday.source).toBe('observed');
    expect(await agentOf(h, '101')).toMatchObject({ answeredToday: 1, answeredTodaySource: 'observed' });
    const warnings = h.logs.filter((x) => x.level === 'warn' && /cannot be read from the call records/.test(String(x.msg)));
    expect(warnings).toHaveLength(1);
    const health = await (await h.req('/relay/health')).json() as Health;
    expect(health.components.database).toMatchObject({ state: 'connected', lastError: null });
  });
});
