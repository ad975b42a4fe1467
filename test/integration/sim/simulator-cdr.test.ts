// Call records in real PostgreSQL 15: rows the simulator writes on hang-up,
// the bulk seed (exact count, deterministic, business hours), and the 3CX-like
// read-only role set up by the global setup.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { startSimulator } from '../../../relay/sim/simulator.js';
import { waitUntil } from '../../support/sim-client.js';
import { createScratchDatabase, testPostgres, type ScratchDatabase } from '../../support/test-postgres.js';

const scratch: ScratchDatabase[] = [];
const pools: pg.Pool[] = [];

async function cdrDatabase(prefix: string): Promise<{ db: ScratchDatabase; pool: pg.Pool }> {
  const db = await createScratchDatabase(prefix, { cdrSchema: true });
  scratch.push(db);
  const pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pools.push(pool);
  return { db, pool };
}

afterAll(async () => {
  for (const p of pools) await p.end();
  for (const d of scratch) await d.drop();
});

interface Row { [k: string]: unknown }

describe('CDR rows written by the simulator', () => {
  it('writes one chained row per segment when a call ends', async () => {
    const { db, pool } = await cdrDatabase('sim_cdr_call');
    const sim = await startSimulator({ cdrDatabaseUrl: db.url });
    try {
      const id = sim.placeInboundCall({ from: '+4930777888', queue: '800' });
      sim.ring(id, '101');
      sim.answer(id);
      sim.transfer(id, '102');
      sim.answer(id);
      expect((await pool.query('SELECT count(*)::int AS n FROM cdroutput')).rows[0].n).toBe(0);
      sim.hangUp(id);
      await sim.flushCdr();
      const rows = (await pool.query<Row>('SELECT * FROM cdroutput ORDER BY cdr_started_at, creation_method')).rows;
      expect(rows.map((r) => [r.destination_dn_number, r.destination_dn_type, r.creation_method, r.termination_reason])).toEqual([
        ['800', 'queue', 'call_init', 'continued_in'],
        ['101', 'extension', 'route_to', 'continued_in'],
        ['102', 'extension', 'transfer', 'src_participant_terminated'],
      ]);
      expect(new Set(rows.map((r) => r.call_history_id)).size).toBe(1);
      expect(rows[0]?.originating_cdr_id).toBeNull();
      expect(rows[1]?.originating_cdr_id).toBe(rows[0]?.cdr_id);
      expect(rows[2]?.originating_cdr_id).toBe(rows[1]?.cdr_id);
      for (const r of rows) {
        expect(r).toMatchObject({ source_participant_phone_number: '+4930777888', source_dn_type: 'provider', source_entity_type: 'external_line' });
        expect(r.cdr_started_at).toBeInstanceOf(Date);
        expect(r.cdr_ended_at).toBeInstanceOf(Date);
      }
      expect(rows[0]?.cdr_answered_at).toBeNull();
      expect(rows[1]?.cdr_answered_at).toBeInstanceOf(Date);
      expect(sim.stats.cdrRowsWritten).toBe(3);

      const abandoned = sim.placeInboundCall({ queue: '801' });
      sim.hangUp(abandoned);
      await sim.flushCdr();
      const last = (await pool.query<Row>("SELECT * FROM cdroutput WHERE destination_dn_number = '801'")).rows;
      expect(last).toEqual([expect.objectContaining({ cdr_answered_at: null, termination_reason: 'cancelled', creation_method: 'call_init' })]);
    } finally {
      await sim.stop();
    }
  });

  it('the generator writes the calls it finishes', async () => {
    const { db, pool } = await cdrDatabase('sim_cdr_gen');
    const sim = await startSimulator({ cdrDatabaseUrl: db.url, callsPerMinute: 60_000, timeScale: 0.0005, seed: 9 });
    try {
      await waitUntil(() => sim.stats.cdrRowsWritten >= 20, 5_000);
      sim.setCallsPerMinute(0);
      // Calls already running finish on their own timers (scaled down).
      await waitUntil(() => sim.activeCalls().length === 0, 5_000);
      await sim.flushCdr();
      const { rows } = await pool.query<{ n: number; calls: number; kinds: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT call_history_id)::int AS calls, count(DISTINCT source_dn_type || destination_dn_type)::int AS kinds FROM cdroutput',
      );
      expect(rows[0]?.n).toBe(sim.stats.cdrRowsWritten);
      expect(rows[0]?.calls).toBeGreaterThan(5);
      expect(rows[0]?.kinds).toBeGreaterThan(1);
      expect(sim.stats.cdrRowsFailed).toBe(0);
    } finally {
      await sim.stop();
    }
  });
});

describe('seedCdr', () => {
  const from = new Date('2026-03-02T00:00:00Z');
  const to = new Date('2026-03-30T00:00:00Z');

  it('inserts exactly `count` rows inside the range, business-hours weighted', async () => {
    const { pool } = await cdrDatabase('sim_seed_count');
    const result = await seedCdr(pool, { from, to, count: 10_000, seed: 42, utcOffsetMinutes: 0 });
    expect(result.rows).toBe(10_000);
    const { rows } = await pool.query<{ n: number; calls: number; min: Date; office: number; answered: number }>(`
      SELECT count(*)::int AS n, count(DISTINCT call_history_id)::int AS calls, min(cdr_started_at) AS min,
             count(*) FILTER (WHERE extract(isodow FROM cdr_started_at AT TIME ZONE 'UTC') < 6
                              AND extract(hour FROM cdr_started_at AT TIME ZONE 'UTC') BETWEEN 7 AND 18)::int AS office,
             count(cdr_answered_at)::int AS answered
      FROM cdroutput`);
    const s = rows[0]!;
    expect(s.n).toBe(10_000);
    expect(s.calls).toBe(result.calls);
    expect(s.min.getTime()).toBeGreaterThanOrEqual(from.getTime());
    expect(s.office / s.n).toBeGreaterThan(0.75);
    expect(s.answered / s.n).toBeGreaterThan(0.3);
    expect(s.answered / s.n).toBeLessThan(0.9);
  });

  it('is deterministic for a seed', async () => {
    const digest = async (pool: pg.Pool) =>
      (await pool.query<{ d: string }>("SELECT md5(string_agg(t::text, '|' ORDER BY cdr_id)) AS d FROM cdroutput t")).rows[0]?.d;
    const a = await cdrDatabase('sim_seed_a');
    const b = await cdrDatabase('sim_seed_b');
    const c = await cdrDatabase('sim_seed_c');
    await seedCdr(a.pool, { from, to, count: 3_000, seed: 7, utcOffsetMinutes: 60 });
    await seedCdr(b.pool, { from, to, count: 3_000, seed: 7, utcOffsetMinutes: 60 });
    await seedCdr(c.pool, { from, to, count: 3_000, seed: 8, utcOffsetMinutes: 60 });
    expect(await digest(a.pool)).toBe(await digest(b.pool));
    expect(await digest(a.pool)).not.toBe(await digest(c.pool));
  });

  it('rejects a bad range', async () => {
    const { pool } = await cdrDatabase('sim_seed_bad');
    await expect(seedCdr(pool, { from: to, to: from, count: 1 })).rejects.toThrow(/after/);
  });
});

describe('the 3CX-like CDR database from the global setup', () => {
  it('has cdroutput, readable but not writable by logsreader_single', async () => {
    const info = testPostgres();
    const reader = new pg.Client({ connectionString: info.cdrReadonlyUrl });
    await reader.connect();
    try {
      const who = await reader.query<{ u: string; ro: string }>("SELECT current_user AS u, current_setting('default_transaction_read_only') AS ro");
      expect(who.rows[0]).toEqual({ u: 'logsreader_single', ro: 'on' });
      await reader.query('SELECT cdr_id, cdr_started_at FROM cdroutput LIMIT 1');
      await expect(reader.query("INSERT INTO cdroutput (cdr_id, cdr_started_at) VALUES (gen_random_uuid(), now())")).rejects.toThrow(/read-only/);
      await reader.query('BEGIN READ WRITE');
      await expect(reader.query("INSERT INTO cdroutput (cdr_id, cdr_started_at) VALUES (gen_random_uuid(), now())")).rejects.toThrow(/permission denied/);
      await reader.query('ROLLBACK');
    } finally {
      await reader.end();
    }
    const wrong = new pg.Client({ connectionString: info.cdrReadonlyUrl.replace(/:[^:@]+@/, ':wrong@') });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('createScratchDatabase gives a fresh database and drops it', async () => {
    const db = await createScratchDatabase('sim_scratch_check');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    expect((await client.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d).toBe(db.name);
    await client.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: testPostgres().adminUrl });
    await admin.connect();
    try {
      expect((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
