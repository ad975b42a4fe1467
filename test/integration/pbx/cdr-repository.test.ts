// CDR repository against a real PostgreSQL 15: keyset pages that return every
// row of a range exactly once (ties on the start time included), foreign
// cursors refused, statement timeout, read-only role, ini configuration,
// recovery after a connection failure, and a 200,000-row export whose memory
// stays flat.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cdr, ComponentHealth } from '../../../relay/contract/api-types.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { CdrRepository } from '../../../relay/pbx/cdr-repository.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';
import { encodeCdrCursor } from '../../../relay/pbx/cdr-cursor.js';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';
import { createCdrSchema } from '../../../relay/sim/cdr-schema.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { createScratchDatabase, testPostgres, withClient, type ScratchDatabase } from '../../support/test-postgres.js';

const FROM = new Date('2026-10-01T00:00:00Z');
const TO = new Date('2026-11-01T00:00:00Z');
const TIE = '2026-10-15 09:30:00.123456+00';

async function waitForNoWaiter(c: pg.Client): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
    if (rows[0].n === 0) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('a backend is still waiting for the lock');
}

async function rejection(p: Promise<unknown>): Promise<RelayError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(RelayError);
  return e as RelayError;
}

/** Newest first by (start, id), compared the way PostgreSQL orders uuids (as text of lowercase hex). */
function isNewestFirst(a: Cdr, b: Cdr): boolean {
  if (a.cdr_started_at !== b.cdr_started_at) return a.cdr_started_at > b.cdr_started_at;
  return a.cdr_id > b.cdr_id;
}

describe('CDR repository', () => {
  let db: ScratchDatabase;
  let expected: Map<string, string>;
  const repositories = cdrTestRepositories(() => db.url);
  const repo = repositories.open;

  beforeAll(async () => {
    db = await createScratchDatabase('pbx_cdr', { cdrSchema: true });
    expected = await withClient(db.url, async (c) => {
      await seedCdr(c, { from: FROM, to: TO, count: 1500, seed: 11 });
      // 40 rows sharing one microsecond-precise start time, and rows just outside the range.
      await c.query(
        `INSERT INTO cdroutput (cdr_id, call_history_id, cdr_started_at, source_dn_number, termination_reason)
         SELECT gen_random_uuid(), gen_random_uuid(), $1::timestamptz, '100', 'tie' FROM generate_series(1, 40)`,
        [TIE],
      );
      await c.query(
        `INSERT INTO cdroutput (cdr_id, cdr_started_at, termination_reason) VALUES
           (gen_random_uuid(), $1::timestamptz - interval '1 microsecond', 'before'), (gen_random_uuid(), $2, 'at-to')`,
        [FROM.toISOString(), TO.toISOString()],
      );
      const rows = await c.query<{ id: string; started: Date }>(
        'SELECT cdr_id AS id, cdr_started_at AS started FROM cdroutput WHERE cdr_started_at >= $1 AND cdr_started_at < $2',
        [FROM, TO],
      );
      return new Map(rows.rows.map((r) => [r.id, r.started.toISOString()]));
    });
  });

  afterAll(async () => {
    await repositories.stopAll();
    await db?.drop();
  });

  it('pages through a range: every row exactly once, newest first, ties included', async () => {
    const r = repo();
    await r.start();
    expect(r.health().state).toBe('connected');
    const seen: Cdr[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await r.page({ from: FROM, to: TO, limit: 7, ...(cursor ? { cursor } : {}) });
      expect(page.rows.length).toBeLessThanOrEqual(7);
      seen.push(...page.rows);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(expected.size).toBe(1540);
    expect(seen).toHaveLength(expected.size);
    expect(new Set(seen.map((c) => c.cdr_id)).size).toBe(expected.size);
    for (const c of seen) expect(expected.get(c.cdr_id)).toBe(c.cdr_started_at);
    for (let i = 1; i < seen.length; i++) expect(isNewestFirst(seen[i - 1]!, seen[i]!)).toBe(true);
    expect(pages).toBe(Math.ceil(expected.size / 7));
    expect(seen.filter((c) => c.termination_reason === 'tie')).toHaveLength(40);
    expect(seen.some((c) => c.termination_reason === 'before' || c.termination_reason === 'at-to')).toBe(false);
  });

  it('answers rows in the contract shape with ISO times', async () => {
    const { rows } = await repo().page({ from: FROM, to: TO, limit: 1000 });
    const answered = rows.find((c) => c.cdr_answered_at !== null)!;
    expect(Object.keys(answered).sort()).toEqual(
      ['call_history_id', 'cdr_answered_at', 'cdr_ended_at', 'cdr_id', 'cdr_started_at', 'creation_method', 'destination_dn_name',
        'destination_dn_number', 'destination_dn_type', 'destination_entity_type', 'destination_participant_name',
        'destination_participant_phone_number', 'destination_participant_trunk_did', 'originating_cdr_id', 'source_dn_name',
        'source_dn_number', 'source_dn_type', 'source_entity_type', 'source_participant_name', 'source_participant_phone_number',
        'source_participant_trunk_did', 'termination_reason', 'termination_reason_details'].sort(),
    );
    for (const t of [answered.cdr_started_at, answered.cdr_answered_at, answered.cdr_ended_at]) {
      expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(answered.cdr_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses foreign and tampered cursors, and bad ranges, with bad_request', async () => {
    const r = repo();
    for (const cursor of ['abc', encodeCdrCursor({ startedAt: '2026-13-45 99:00:00+00', id: 'x' }), encodeCdrCursor({ startedAt: TIE, id: 'not-a-uuid' })]) {
      const e = await rejection(r.page({ from: FROM, to: TO, limit: 10, cursor }));
      expect([e.code, e.status]).toEqual(['bad_request', 400]);
    }
    expect((await rejection(r.page({ from: TO, to: FROM, limit: 10 }))).code).toBe('bad_request');
    expect((await rejection(r.page({ from: FROM, to: TO, limit: 0 }))).code).toBe('bad_request');
    expect(r.health().state).not.toBe('error');
  });

  it('streams every row of the range in order through a cursor, and stops cleanly when the consumer does', async () => {
    const r = repo({ poolMax: 1 });
    let n = 0;
    let previous: Cdr | null = null;
    for await (const row of r.stream({ from: FROM, to: TO }, { batchSize: 100 })) {
      if (previous) expect(isNewestFirst(previous, row)).toBe(true);
      previous = row;
      n++;
    }
    expect(n).toBe(expected.size);
    // Break out early: the connection goes back to the pool (poolMax 1 would deadlock otherwise).
    for await (const _row of r.stream({ from: FROM, to: TO }, { batchSize: 10 })) break;
    expect((await r.page({ from: FROM, to: TO, limit: 1 })).rows).toHaveLength(1);
    const abort = new AbortController();
    const seen: Cdr[] = [];
    await expect(async () => {
      for await (const row of r.stream({ from: FROM, to: TO }, { batchSize: 10, signal: abort.signal })) {
        seen.push(row);
        if (seen.length === 15) abort.abort();
      }
    }).rejects.toThrow();
    expect(seen).toHaveLength(20);
    expect((await r.page({ from: FROM, to: TO, limit: 1 })).rows).toHaveLength(1);
  });

  it('bounds each export batch by the statement timeout, not the whole export (a slow reader finishes)', async () => {
    const r = repo({ statementTimeoutMs: 300 });
    let n = 0;
    for await (const _row of r.stream({ from: FROM, to: TO }, { batchSize: 500 })) {
      if (++n % 500 === 0) await new Promise((res) => setTimeout(res, 400));
    }
    expect(n).toBe(expected.size);
  });

  it('runs read-only with a statement timeout', async () => {
    const r = repo({ statementTimeoutMs: 300 });
    await withClient(db.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE cdroutput IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const e = await rejection(r.page({ from: FROM, to: TO, limit: 5 }));
      expect([e.code, e.status]).toEqual(['upstream_timeout', 504]);
      expect(Date.now() - started).toBeLessThan(3000);
      await locker.query('ROLLBACK');
    });
    // The same connection answers again afterwards: the pool did not keep a broken client.
    expect((await r.page({ from: FROM, to: TO, limit: 5 })).rows).toHaveLength(5);
  });

  it('bounds a stuck export batch by the statement timeout and ends that connection', async () => {
    const r = repo({ statementTimeoutMs: 300, poolMax: 1 });
    const states: ComponentHealth[] = [];
    r.on('state', (st) => states.push(st));
    await withClient(db.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE cdroutput IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const e = await rejection((async () => {
        for await (const _row of r.stream({ from: FROM, to: TO })) void _row;
      })());
      expect([e.code, e.status]).toEqual(['upstream_timeout', 504]);
      expect(Date.now() - started).toBeLessThan(3000);
      // The abandoned query ended with its connection: nothing is left waiting for the lock.
      await waitForNoWaiter(locker);
      await locker.query('ROLLBACK');
    });
    expect((await r.page({ from: FROM, to: TO, limit: 5 })).rows).toHaveLength(5);
    expect(states.some((st) => st.state === 'error')).toBe(false);
  });

  it('reads the shared 3CX-like database through the read-only role from a 3CXPhoneSystem.ini', async () => {
    const info = testPostgres();
    const u = new URL(info.cdrReadonlyUrl);
    const dir = await mkdtemp(path.join(tmpdir(), 'relay-ini-'));
    try {
      const ini = path.join(dir, '3CXPhoneSystem.ini');
      await writeFile(ini, `[CfgServerProfile]\nDBHost=${u.hostname}\nDBPort=${u.port}\n[QMDatabase]\nDBName=${info.cdrDatabase}\n[DbAdminREADONLY]\nUser=${decodeURIComponent(u.username)}\nPassword=${decodeURIComponent(u.password)}\n`);
      const r = repositories.open({ config: { iniPath: ini } });
      await r.start();
      expect(r.health()).toMatchObject({ state: 'connected', lastError: null });
      const page = await r.page({ from: new Date('2000-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z'), limit: 5 });
      expect(Array.isArray(page.rows)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('goes to error with a fault when the database is missing, and recovers on the next check', async () => {
    const name = `pbx_cdr_late_${Date.now().toString(36)}`;
    const admin = new URL(testPostgres().adminUrl);
    admin.pathname = `/${name}`;
    const late = repositories.open({ config: { url: admin.toString() } });
    const faults: UpstreamFault[] = [];
    const states: ComponentHealth[] = [];
    late.on('fault', (f) => faults.push(f));
    late.on('state', (s) => states.push(s));
    await late.start();
    expect(late.health().state).toBe('error');
    expect(late.health().lastError).toMatch(new RegExp(`cannot use postgres@127\\.0\\.0\\.1:\\d+/${name}: database "${name}" does not exist`));
    expect(late.health().lastError).not.toContain(admin.password);
    await late.check();
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ component: 'database', severity: 'error' });
    await withClient(testPostgres().adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
    try {
      await withClient(admin.toString(), (c) => createCdrSchema(c));
      await late.check();
      expect(late.health()).toMatchObject({ state: 'connected', lastError: null });
      expect(states.map((s) => s.state)).toEqual(['connecting', 'error', 'connected']);
      expect((await late.page({ from: FROM, to: TO, limit: 5 })).rows).toEqual([]);
    } finally {
      await late.stop();
      await withClient(testPostgres().adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });

  it('stays unconfigured without a configuration', async () => {
    const r = new CdrRepository({ config: null });
    await r.start();
    expect(r.health().state).toBe('unconfigured');
    expect((await rejection(r.page({ from: FROM, to: TO, limit: 5 }))).code).toBe('upstream_unconfigured');
    await r.stop();
  });
});

describe('CDR export of 200,000 rows', () => {
  let db: ScratchDatabase;
  const EXPORT_FROM = new Date('2026-01-01T00:00:00Z');
  const EXPORT_TO = new Date('2026-07-01T00:00:00Z');

  beforeAll(async () => {
    db = await createScratchDatabase('pbx_cdr_export', { cdrSchema: true });
    // Realistic, fully filled rows written by SQL (seconds, not minutes): every column
    // holds text of the length a real 3CX row has.
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO cdroutput
         SELECT gen_random_uuid(), gen_random_uuid(), s, s + interval '8 seconds', s + interval '3 minutes',
                (100 + i % 20)::text, 'extension', 'Agent ' || (i % 20), 'Agent ' || (i % 20), '+49301234' || lpad((i % 10000)::text, 4, '0'),
                '+493012345600', 'extension',
                (800 + i % 3)::text, 'queue', 'Queue ' || (i % 3), 'Caller ' || i, '+49891234' || lpad((i % 10000)::text, 4, '0'),
                '+493012345601', 'external_line', 'dst_participant_terminated', 'completed', 'call_init', NULL
         FROM generate_series(1, 200000) AS i,
              LATERAL (SELECT $1::timestamptz + (i * interval '77 seconds') AS s) AS t`,
        [EXPORT_FROM.toISOString()],
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('streams with RSS growth under 64 MB in this process', async () => {
    const r = new CdrRepository({ config: { url: db.url }, statementTimeoutMs: 30_000 });
    try {
      await r.start();
      (globalThis as { gc?: () => void }).gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      let n = 0;
      let bytes = 0;
      let previous = '';
      let outOfOrder = 0;
      const started = Date.now();
      for await (const row of r.stream({ from: EXPORT_FROM, to: EXPORT_TO })) {
        // Consume like a CSV writer would, keeping nothing.
        bytes += row.cdr_id.length + (row.source_participant_phone_number?.length ?? 0);
        if (previous !== '' && row.cdr_started_at > previous) outOfOrder++;
        previous = row.cdr_started_at;
        if (++n % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      }
      peak = Math.max(peak, process.memoryUsage().rss);
      const seconds = (Date.now() - started) / 1000;
      console.info(`CDR export: ${n} rows in ${seconds.toFixed(2)} s (${Math.round(n / seconds)} rows/s), RSS growth ${((peak - baseline) / 1048576).toFixed(1)} MB`);
      expect(n).toBe(200_000);
      expect(outOfOrder).toBe(0);
      expect(bytes).toBeGreaterThan(0);
      const growthMb = (peak - baseline) / 1024 / 1024;
      expect(growthMb).toBeLessThan(64);
    } finally {
      await r.stop();
    }
  }, 120_000);
});
