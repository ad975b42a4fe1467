// Every statement the CDR repository sends that reads the call-record table
// is bounded by a start-time range (3CX's own database may have no index on
// it, so an unbounded query would scan the whole table). A recording wrapper
// around pg's Client.query sees each statement as sent (plain text, config
// objects, the export's cursor and COPY); each is checked for both bounds in
// its text and, with its parameters, by EXPLAIN: the range is the index
// condition, never a filter over a full scan.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportCdrCsv } from '../../../relay/call-records/cdr-csv-export.js';
import { CdrCallVolume, callVolumeWindow } from '../../../relay/call-records/cdr-call-volume.js';
import { CDR_COLUMNS, CDR_TABLE } from '../../../relay/pbx/cdr-columns.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';
import { PassThrough } from 'node:stream';

const FROM = new Date('2026-10-01T00:00:00Z');
const TO = new Date('2026-10-08T00:00:00Z');
const NOW = Date.parse('2026-10-05T12:30:00Z');

interface Sent { text: string; values: unknown[] }

/** The statement text and parameters of whatever was passed to Client.query. */
function sentOf(args: unknown[]): Sent | null {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, values: Array.isArray(second) ? second : [] };
  if (first && typeof first === 'object' && 'text' in first && typeof first.text === 'string') {
    const values = 'values' in first && Array.isArray(first.values) ? first.values : Array.isArray(second) ? second : [];
    return { text: first.text, values };
  }
  return null;
}

/** A statement with its parameters written in as literals, as a SELECT EXPLAIN can take (COPY's query unwrapped). */
function explainable(s: Sent): string {
  const copy = /^COPY \((.*)\) TO STDOUT WITH \(FORMAT csv\)$/s.exec(s.text);
  const select = copy ? copy[1]! : s.text;
  return select.replace(/\$(\d+)/g, (_m, n: string) => {
    const v = s.values[Number(n) - 1];
    return `'${String(v instanceof Date ? v.toISOString() : v).replace(/'/g, "''")}'`;
  });
}

describe('CDR queries stay bounded by a date range', () => {
  let db: ScratchDatabase;
  const repositories = cdrTestRepositories(() => db.url);
  let sent: Sent[] = [];

  beforeAll(async () => {
    db = await createScratchDatabase('pbx_cdr_bounded', { cdrSchema: true });
    await withClient(db.url, (c) => seedCdr(c, { from: new Date(FROM.getTime() - 30 * 86_400_000), to: TO, count: 3000, seed: 9 }));
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  afterAll(async () => {
    await repositories.stopAll();
    await db?.drop();
  });

  function record(): void {
    sent = [];
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const s = sentOf(args);
      if (s) sent.push(s);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
  }

  it('every statement that reads the table has both bounds, and its plan scans only the range', async () => {
    const clock = new ManualClock(NOW);
    const r = repositories.open({ clock });
    record();
    await r.start();
    const first = await r.page({ from: FROM, to: TO, limit: 5 });
    await r.page({ from: FROM, to: TO, limit: 5, cursor: first.nextCursor! });
    for await (const _row of r.stream({ from: FROM, to: TO }, { batchSize: 500 })) void _row;
    await exportCdrCsv(r, { from: FROM, to: TO }, new PassThrough().resume());
    await new CdrCallVolume({ cdr: () => r, clock }).get();
    vi.restoreAllMocks();

    const table = new RegExp(`\\b${CDR_TABLE}\\b`);
    const reads = sent.filter((s) => table.test(s.text));
    // The start's emptiness check, two pages, the cursor stream, the CSV export (COPY) and the call counts.
    expect(reads).toHaveLength(6);
    expect(reads.some((s) => s.text.startsWith('COPY ('))).toBe(true);
    const started = CDR_COLUMNS.cdr_started_at;
    for (const s of reads) {
      expect(s.text).toMatch(new RegExp(`"${started}" >= (\\$\\d|'[^']+')::timestamptz`));
      expect(s.text).toMatch(new RegExp(`"${started}" < (\\$\\d|'[^']+')::timestamptz`));
    }
    // Statements that do not name the table touch no other: transaction control, settings, the health
    // check and the catalogue lookup that tells a missing table from an empty one.
    for (const s of sent.filter((x) => !table.test(x.text))) expect(s.text).toMatch(/^(BEGIN|COMMIT|ROLLBACK|SELECT 1$|SELECT to_regclass\(\$1\))/);

    await withClient(db.url, async (c) => {
      await c.query('SET enable_seqscan = off');
      for (const s of reads) {
        const plan = (await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${explainable(s)}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
        expect(plan, s.text).not.toMatch(/Seq Scan/);
        const cond = /Index (?:Only )?Scan.* on cdroutput[^\n]*\n(?:[^\n]*\n)*?\s*Index Cond: ([^\n]*)/.exec(plan);
        expect(cond, plan).not.toBeNull();
        expect(cond![1]).toMatch(new RegExp(`${started} >= `));
        expect(cond![1]).toMatch(new RegExp(`${started} < `));
      }
    });
  });

  it('refuses call counts whose day starts far before the hours asked for (that would widen the scan)', async () => {
    const r = repositories.open({ clock: new ManualClock(NOW) });
    const window = callVolumeWindow(NOW);
    await expect(r.callCounts({ ...window, hours: 24 })).resolves.toMatchObject({ perHour: expect.any(Array) });
    const wide = { ...window, dayStart: new Date(window.hoursFrom.getTime() - 30 * 86_400_000), hours: 24 };
    const e = await r.callCounts(wide).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(RelayError);
    expect(e).toMatchObject({ code: 'bad_request' });
    const late = { ...window, dayStart: new Date(window.hoursFrom.getTime() + 25 * 3_600_000), hours: 24 };
    expect(await r.callCounts(late).then(() => null, (err: unknown) => err)).toMatchObject({ code: 'bad_request' });
  });
});
