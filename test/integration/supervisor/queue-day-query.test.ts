// Today's queue figures from 3CX's call-centre table (`callcent_queuecalls`)
// against a real PostgreSQL 15: one aggregate gives exact per-queue and
// per-agent figures for [local midnight, now); it runs read-only and under
// the statement timeout; a failing query leaves the database component's
// health alone; the column mapping can be overridden; and the supervisor's
// reader drops to its own observation when the records cannot answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueDayRecords, toSnapshot } from '../../../relay/call-records/queue-day-records.js';
import { localDayStart } from '../../../relay/core/local-day.js';
import { memorySink, createLogger } from '../../../relay/core/logger.js';
import type { CdrRepository } from '../../../relay/pbx/cdr-repository.js';
import { DEFAULT_QUEUE_CALLS_MAPPING, queueDayParams, queueDaySql, resolveQueueCallsMapping, type QueueDayRow } from '../../../relay/pbx/queue-calls-query.js';
import { insertQueueCallRows, type QueueCallRow } from '../../../relay/sim/queuecalls-table.js';
import { FigureClock, queueFigures } from '../../../relay/supervisor/supervisor-figures.js';
import { QueueDayLedger } from '../../../relay/supervisor/queue-day-ledger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { cdrTestRepositories } from '../pbx/cdr-test-repositories.js';

// A zone whose midnight is not a UTC hour: "today" must be the relay's local day, not UTC's.
const ZONE = 'America/St_Johns';
const savedTz = process.env.TZ;
process.env.TZ = ZONE;
const NOW = new Date(2026, 10, 2, 15, 20, 0).getTime();
const DAY = localDayStart(NOW);
const QUEUES = [{ number: '800', slaSeconds: 20 }, { number: '801', slaSeconds: 30 }];

function row(q: string, startMs: number, waiting: number, polling: number, talk: number, agent: string): QueueCallRow {
  return {
    q_num: q,
    time_start: new Date(startMs),
    time_end: new Date(startMs + (waiting + polling + talk) * 1000),
    ts_waiting: waiting,
    ts_polling: polling,
    ts_servicing: talk,
    reason_noanswercode: talk > 0 ? 0 : 3,
    reason_noanswerdesc: '',
    call_history_id: null,
    from_userpart: '+4930123',
    from_displayname: null,
    to_dn: agent,
  };
}

const KNOWN: QueueCallRow[] = [
  row('800', DAY, 6, 4, 120, '101'), // the first instant of today; waited 10 s: within 20 s
  row('800', NOW - 3_600_000, 25, 0, 60, '102'), // waited 25 s: outside
  row('800', NOW - 1_800_000, 30, 10, 0, ''), // abandoned after 40 s
  row('800', NOW - 600_000, 12.5, 7.5, 30, '101'), // waited exactly 20 s: within
  row('801', NOW - 900_000, 31, 0, 10, '106'), // waited 31 s of 30: outside
  row('801', NOW - 300_000, 5, 0, 0, '107'), // rung an agent, never talked: not answered
  row('800', DAY - 1_000, 1, 0, 100, '101'), // one second before local midnight: yesterday
  row('800', NOW + 1_000, 1, 0, 100, '101'), // after `now`
  row('899', NOW - 60_000, 1, 0, 100, '101'), // a queue not asked about
];

const EXPECTED: QueueDayRow[] = [
  { kind: 'queue', key: '800', answered: 3, abandoned: 1, withinSla: 2, waitS: 10 + 25 + 20, talkS: 120 + 60 + 30 },
  { kind: 'queue', key: '801', answered: 1, abandoned: 1, withinSla: 0, waitS: 31, talkS: 10 },
  { kind: 'agent', key: '101', answered: 2, abandoned: 0, withinSla: 2, waitS: 30, talkS: 150 },
  { kind: 'agent', key: '102', answered: 1, abandoned: 0, withinSla: 0, waitS: 25, talkS: 60 },
  { kind: 'agent', key: '106', answered: 1, abandoned: 0, withinSla: 0, waitS: 31, talkS: 10 },
  { kind: 'agent', key: '107', answered: 0, abandoned: 1, withinSla: 0, waitS: 0, talkS: 0 },
];
const byKey = (rows: QueueDayRow[]) => [...rows].sort((a, b) => (a.kind + a.key).localeCompare(b.kind + b.key));

let db: ScratchDatabase;
const repos = cdrTestRepositories(() => db.url);
const query = { from: new Date(DAY), to: new Date(NOW), queues: QUEUES };

beforeAll(async () => {
  db = await createScratchDatabase('queue_day', { cdrSchema: true });
  await withClient(db.url, async (c) => {
    await insertQueueCallRows(c, KNOWN);
    // The same calls under other names, seconds as integers: a release that renamed things.
    await c.query('CREATE TABLE my_queue_log (queue_no text, entered timestamptz, hold_s numeric, ring_s numeric, talk_s numeric, agent_ext text)');
    for (const r of KNOWN) {
      await c.query('INSERT INTO my_queue_log VALUES ($1, $2, $3, $4, $5, $6)', [r.q_num, r.time_start, r.ts_waiting, r.ts_polling, r.ts_servicing, r.to_dn]);
    }
    // Reading this view writes: only a read-only transaction stops it.
    await c.query('CREATE TABLE probe_writes (at timestamptz)');
    await c.query(`CREATE FUNCTION probe_write() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN INSERT INTO probe_writes VALUES (now()); RETURN true; END $$`);
    await c.query('CREATE VIEW writing_queuecalls AS SELECT * FROM callcent_queuecalls WHERE probe_write()');
    await c.query('CREATE VIEW slow_queuecalls AS SELECT * FROM callcent_queuecalls WHERE (SELECT true FROM pg_sleep(3))');
    // The same rows with a zone-less start column (the TypeORM entity's `timestamp without time zone`), stored as UTC.
    await c.query('CREATE TABLE naive_queuecalls AS SELECT * FROM callcent_queuecalls');
    await c.query("ALTER TABLE naive_queuecalls ALTER COLUMN time_start TYPE timestamp USING time_start AT TIME ZONE 'UTC'");
    await c.query('CREATE INDEX naive_queuecalls_time_start_idx ON naive_queuecalls (time_start)');
  });
}, 60_000);

afterAll(async () => {
  await repos.stopAll();
  await db?.drop();
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

async function connected(opts: Parameters<typeof repos.open>[0] = {}): Promise<CdrRepository> {
  const r = repos.open({ clock: new ManualClock(NOW), ...opts });
  await r.start();
  expect(r.health().state).toBe('connected');
  return r;
}

describe('callcent_queuecalls for today', () => {
  it('answers exact per-queue and per-agent figures for [local midnight, now) in one aggregate', async () => {
    expect(new Date(DAY).getUTCMinutes()).toBe(30); // St. John's is UTC-3:30: local midnight is half past a UTC hour
    const r = await connected();
    const rows = await r.queueDay(query, resolveQueueCallsMapping());
    expect(byKey(rows)).toEqual(byKey(EXPECTED));
  });

  it('turns into the supervisor figures: service level, average wait and talk, with the records as source', () => {
    const snapshot = toSnapshot(EXPECTED, ['800', '801'], DAY, NOW);
    const fc = new FigureClock(NOW, 15_000, 90_000);
    const queues = [
      { id: 1, number: '800', name: 'Sales', slaSeconds: 20, agents: ['101', '102'] },
      { id: 2, number: '801', name: 'Support', slaSeconds: 30, agents: ['106'] },
    ];
    const figures = queueFigures({ queues: { value: queues, at: NOW }, users: null, calls: null, system: null, ledger: new QueueDayLedger(), records: snapshot, coverage: null }, fc);
    const sales = figures.find((q) => q.number === '800')!;
    expect(sales.answeredToday).toEqual({ value: 3, source: 'cdr', asOf: new Date(NOW).toISOString(), stale: false });
    expect(sales.abandonedToday.value).toBe(1);
    expect(sales.serviceLevelToday.value).toBe(50);
    expect(sales.avgWaitS.value).toBe(18.3); // 55 s over 3 answered
    expect(sales.avgTalkS.value).toBe(70);
    const support = figures.find((q) => q.number === '801')!;
    expect(support.serviceLevelToday.value).toBe(0);
    expect(support.avgWaitS.value).toBe(31);
    // A minute later the records are still fresh on their own (90 s) scale, unlike a live figure.
    const later = queueFigures({ queues: { value: queues, at: NOW }, users: null, calls: null, system: null, ledger: new QueueDayLedger(), records: snapshot, coverage: null }, new FigureClock(NOW + 60_000, 15_000, 90_000));
    expect(later[0]!.answeredToday.stale).toBe(false);
    expect(later[0]!.callsWaiting.stale).toBe(true);
  });

  it('reads another release\'s names through a mapping override', async () => {
    const r = await connected();
    const mapping = resolveQueueCallsMapping({ table: 'my_queue_log', queue: 'queue_no', startedAt: 'entered', endedAt: null, wait: ['hold_s', 'ring_s'], talk: 'talk_s', agent: 'agent_ext', durations: 'seconds' });
    expect(byKey(await r.queueDay(query, mapping))).toEqual(byKey(EXPECTED));
    expect(() => resolveQueueCallsMapping({ table: 'x; DROP TABLE cdroutput' })).toThrow(/plain SQL name/);
    expect(() => resolveQueueCallsMapping({ wait: [] })).toThrow(/at least one column/);
    expect(resolveQueueCallsMapping({ talk: 'ts_talking' })).toEqual({ ...DEFAULT_QUEUE_CALLS_MAPPING, talk: 'ts_talking' });
  });

  it('runs read-only: a read that would write fails, nothing is written, and the component stays connected', async () => {
    const r = await connected();
    await expect(r.queueDay(query, resolveQueueCallsMapping({ table: 'writing_queuecalls' }))).rejects.toThrow(/read-only transaction/);
    const written = await withClient(db.url, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM probe_writes')).rows[0]!.n);
    expect(written).toBe(0);
    expect(r.health()).toMatchObject({ state: 'connected', lastError: null });
  });

  it('is cancelled by the statement timeout, without a fault on the database component', async () => {
    const r = await connected({ statementTimeoutMs: 300 });
    const started = Date.now();
    await expect(r.queueDay(query, resolveQueueCallsMapping({ table: 'slow_queuecalls' }))).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(r.health()).toMatchObject({ state: 'connected', lastError: null });
  });

  it('reads a zone-less start column as UTC, to the same figures', async () => {
    const r = await connected();
    expect(byKey(await r.queueDay(query, resolveQueueCallsMapping({ table: 'naive_queuecalls' })))).toEqual(byKey(EXPECTED));
  });

  it('bounds the scan by the start-time range, which an index on it serves for either column type', async () => {
    for (const table of ['callcent_queuecalls', 'naive_queuecalls']) {
      const plan = await withClient(db.url, async (c) => {
        await c.query('BEGIN READ ONLY; SET LOCAL enable_seqscan = off; SET LOCAL TimeZone = \'UTC\'');
        const res = await c.query<{ 'QUERY PLAN': unknown }>({ text: `EXPLAIN (FORMAT JSON) ${queueDaySql(resolveQueueCallsMapping({ table }))}`, values: queueDayParams(query) });
        await c.query('ROLLBACK');
        return JSON.stringify(res.rows[0]!['QUERY PLAN']);
      });
      expect(plan).toMatch(new RegExp(`"Index Name":"${table}_time_start_idx"`));
      expect(plan).toMatch(/"Index Cond":"\(\(time_start >= .*time_start < /);
    }
  });

  it('refuses a range that is not bounded to about a day', async () => {
    const r = await connected();
    await expect(r.queueDay({ ...query, from: new Date(NOW - 3 * 86_400_000) }, resolveQueueCallsMapping())).rejects.toThrow(/at most two days/);
    await expect(r.queueDay({ ...query, queues: [] }, resolveQueueCallsMapping())).rejects.toThrow(/1 to 10,000 queues/);
  });
});

describe('the supervisor\'s reader of the records', () => {
  it('queries at most once per interval, falls back (logged once) when the table is missing, and recovers', async () => {
    const r = await connected();
    // Three failing intervals that end at NOW.
    const clock = new ManualClock(NOW - 90_000);
    const sink = memorySink();
    let mapping = resolveQueueCallsMapping({ table: 'no_such_table' });
    let changes = 0;
    const records = new QueueDayRecords({ cdr: () => r, clock, logger: createLogger(sink, { level: 'debug' }), get mapping() { return mapping; }, intervalMs: 30_000, onChange: () => changes++ });
    for (let i = 0; i < 3; i++) {
      await records.maybeRefresh(QUEUES);
      expect(records.current(clock.now())).toBeNull();
      clock.advance(30_000);
    }
    const warnings = sink.records.filter((x) => x.level === 'warn' && /cannot be read from the call records/.test(String(x.msg)));
    expect(warnings).toHaveLength(1);
    expect(r.health()).toMatchObject({ state: 'connected', lastError: null });

    mapping = resolveQueueCallsMapping();
    await records.maybeRefresh(QUEUES);
    const snap = records.current(clock.now())!;
    expect(snap.perQueue.get('800')).toMatchObject({ answered: 3, abandoned: 1 });
    expect(snap.answeredByAgent.get('101')).toBe(2);
    expect(changes).toBe(1);
    // Within the interval, no second query.
    clock.advance(10_000);
    expect(records.maybeRefresh(QUEUES)).toBeNull();
    // The next local day: yesterday's figures are not today's.
    clock.advance(DAY + 86_400_000 - clock.now() + 1_000);
    expect(records.current(clock.now())).toBeNull();
  });

  it('asks nothing once closed, and a query cut off by shutdown is no warning', async () => {
    const r = await connected({ statementTimeoutMs: 300 });
    const sink = memorySink();
    const clock = new ManualClock(NOW - 60_000);
    const records = new QueueDayRecords({ cdr: () => r, clock, logger: createLogger(sink), mapping: resolveQueueCallsMapping({ table: 'slow_queuecalls' }), onChange: () => {} });
    const run = records.maybeRefresh(QUEUES);
    expect(run).not.toBeNull();
    records.close();
    await run;
    expect(sink.records.filter((x) => x.level === 'warn')).toHaveLength(0);
    clock.advance(30_000);
    expect(records.maybeRefresh(QUEUES)).toBeNull();
    records.open();
    clock.advance(30_000);
    await records.maybeRefresh(QUEUES);
    expect(sink.records.filter((x) => x.level === 'warn')).toHaveLength(1);
  });

  it('asks nothing while the database is not connected', async () => {
    const r = repos.open({ config: null });
    const records = new QueueDayRecords({ cdr: () => r, clock: new ManualClock(NOW), logger: createLogger(memorySink()), mapping: resolveQueueCallsMapping(), onChange: () => {} });
    expect(records.maybeRefresh(QUEUES)).toBeNull();
    expect(records.current(NOW)).toBeNull();
  });
});
