// Overview figures from the call records against a real PostgreSQL 15: calls
// (not segments) per local hour and today, counted by the database in one
// aggregate over the start-time index; the 30 s cache in front of it; and
// null (so the stats fall back to live counts) when the database is not there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CdrCallVolume, callVolumeWindow } from '../../../relay/call-records/cdr-call-volume.js';
import { collectStats } from '../../../relay/admin/stats-service.js';
import { HOUR_MS } from '../../../relay/core/time-units.js';
import { CDR_CALL_COUNT_SQL, callCountParams, callCountWindow } from '../../../relay/pbx/cdr-call-counts.js';
import { CdrRepository } from '../../../relay/pbx/cdr-repository.js';
import type { CdrCallCounts } from '../../../relay/pbx/upstream.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { ManualClock } from '../../support/manual-clock.js';

// 15:20 local time, whatever the machine's zone: buckets follow the relay's local hours.
const NOW = new Date(2026, 10, 2, 15, 20, 0).getTime();
const local = (day: number, h: number, m: number) => new Date(2026, 10, day, h, m, 0).toISOString();

/** The same figures computed here from every row, the slow way. */
async function expectedCounts(url: string, now: number): Promise<CdrCallCounts> {
  const w = callVolumeWindow(now);
  const { from, to } = callCountWindow({ ...w, hours: 24 });
  const rows = await withClient(url, async (c) =>
    (await c.query<{ id: string; call: string | null; started: Date }>('SELECT cdr_id AS id, call_history_id AS call, cdr_started_at AS started FROM cdroutput')).rows);
  const firstStart = new Map<string, number>();
  for (const r of rows) {
    const t = r.started.getTime();
    if (t < from.getTime() || t >= to.getTime()) continue;
    const key = r.call ?? `row:${r.id}`;
    firstStart.set(key, Math.min(firstStart.get(key) ?? Infinity, t));
  }
  const perHour = new Array<number>(24).fill(0);
  let today = 0;
  for (const t of firstStart.values()) {
    if (t >= w.dayStart.getTime()) today++;
    const bucket = Math.floor((t - w.hoursFrom.getTime()) / HOUR_MS);
    if (bucket >= 0 && bucket < 24) perHour[bucket]! += 1;
  }
  return { today, perHour };
}

describe('call counts from the call records', () => {
  let db: ScratchDatabase;
  const repos: CdrRepository[] = [];
  const repo = (clock = new ManualClock(NOW)) => {
    const r = new CdrRepository({ config: { url: db.url }, clock });
    repos.push(r);
    return r;
  };
  const insert = (rows: [history: string | null, startedAt: string][]) =>
    withClient(db.url, async (c) => {
      for (const [history, startedAt] of rows) {
        await c.query('INSERT INTO cdroutput (cdr_id, call_history_id, cdr_started_at) VALUES (gen_random_uuid(), $1, $2)', [history, startedAt]);
      }
    });

  beforeAll(async () => {
    db = await createScratchDatabase('cdr_counts', { cdrSchema: true });
    await withClient(db.url, (c) => seedCdr(c, { from: new Date(NOW - 3 * 86_400_000), to: new Date(NOW + HOUR_MS), count: 3000, seed: 5 }));
  });

  afterAll(async () => {
    for (const r of repos) await r.stop();
    await db?.drop();
  });

  it('counts calls, not segments, per local hour and for today, as computed from every row', async () => {
    const r = repo();
    const window = callVolumeWindow(NOW);
    expect(window.dayStart.toISOString()).toBe(local(2, 0, 0));
    expect(window.hoursFrom.toISOString()).toBe(local(1, 16, 0));
    const before = await r.callCounts({ ...window, hours: 24 });
    expect(before).toEqual(await expectedCounts(db.url, NOW));
    expect(before.today).toBeGreaterThan(10);
    expect(before.perHour).toHaveLength(24);

    await insert([
      // One call of three segments across two hours: counted once, at 13:00.
      ['11111111-1111-4111-8111-111111111111', local(2, 13, 58)],
      ['11111111-1111-4111-8111-111111111111', local(2, 14, 3)],
      ['11111111-1111-4111-8111-111111111111', local(2, 14, 10)],
      // Rows without a call id are calls of their own.
      [null, local(2, 14, 30)],
      [null, local(2, 14, 31)],
      // Began yesterday before midnight: yesterday's call, in the 23:00 bucket.
      ['22222222-2222-4222-8222-222222222222', local(1, 23, 59)],
      ['22222222-2222-4222-8222-222222222222', local(2, 0, 1)],
      // Outside the 24 hours and not today.
      ['44444444-4444-4444-8444-444444444444', local(1, 15, 59)],
    ]);
    const after = await r.callCounts({ ...window, hours: 24 });
    expect(after).toEqual(await expectedCounts(db.url, NOW));
    expect(after.today - before.today).toBe(3);
    const added = after.perHour.map((n, i) => n - before.perHour[i]!);
    // Index 0 is yesterday 16:00: 23:00 is 7, 13:00 today is 21, 14:00 is 22.
    expect(added).toEqual(added.map((_, i) => ({ 7: 1, 21: 1, 22: 2 })[i] ?? 0));
  });

  it('runs on the start-time index (no full scan of the PBX table)', async () => {
    const plan = await withClient(db.url, async (c) => {
      await c.query('SET enable_seqscan = off');
      const sql = CDR_CALL_COUNT_SQL.replace(/\$(\d)/g, (_m, n: string) => `'${callCountParams({ ...callVolumeWindow(NOW), hours: 24 })[Number(n) - 1]}'`);
      return (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index (Only )?Scan.* on cdroutput/);
    expect(plan).toContain('cdroutput_started_id_idx');
  });

  it('keeps the answer for 30 s, then asks again; concurrent callers share one query', async () => {
    const clock = new ManualClock(NOW);
    const r = repo(clock);
    await r.start();
    const volume = new CdrCallVolume({ cdr: () => r, clock });
    const [first, same] = await Promise.all([volume.get(), volume.get()]);
    expect(same).toBe(first);
    expect(first).not.toBeNull();
    const expected = await expectedCounts(db.url, NOW);
    expect(first!.callsToday).toBe(expected.today);
    expect(first!.callsPerHour.map((h) => h.count)).toEqual(expected.perHour);
    expect(first!.callsPerHour[0]!.hour).toBe(local(1, 16, 0));
    expect(first!.callsPerHour.every((h, i) => Date.parse(h.hour) === Date.parse(local(1, 16, 0)) + i * HOUR_MS)).toBe(true);

    await insert([['33333333-3333-4333-8333-333333333333', local(2, 15, 10)]]);
    clock.advance(20_000);
    expect((await volume.get())!.callsToday).toBe(expected.today);
    clock.advance(11_000);
    const fresh = await volume.get();
    expect(fresh!.callsToday).toBe(expected.today + 1);
    expect(fresh!.callsPerHour.at(-1)!.count).toBe(expected.perHour.at(-1)! + 1);
  });

  it('answers null when the database is not connected, and the stats fall back to the live counters', async () => {
    const clock = new ManualClock(NOW);
    const r = repo(clock);
    const volume = new CdrCallVolume({ cdr: () => r, clock });
    // Never started: not connected, so no query and no wait.
    expect(await volume.get()).toBeNull();
    expect(await new CdrCallVolume({ cdr: () => undefined, clock }).get()).toBeNull();
    const unreachable = new CdrRepository({ config: { url: 'postgres://nobody:pw@127.0.0.1:1/none' }, clock, connectTimeoutMs: 500 });
    repos.push(unreachable);
    await unreachable.start();
    expect(unreachable.health().state).toBe('error');
    const stats = await collectStats({
      clock,
      uptimeS: () => 1,
      activeCallCount: async () => 0,
      dayCount: async (name) => (name === 'calls' ? 7 : name.startsWith('calls_hour_') ? 1 : 0),
      requestsPerKey: async () => [],
      errorSummary: async () => ({ unacknowledged: 0, total: 0, bySeverity: { info: 0, warning: 0, error: 0, critical: 0 } }),
      cdrCallVolume: () => new CdrCallVolume({ cdr: () => unreachable, clock }).get(),
    });
    expect(stats.callsToday).toBe(7);
    expect(stats.callsPerHour.map((h) => h.count)).toEqual(new Array(24).fill(1));
  });
});
