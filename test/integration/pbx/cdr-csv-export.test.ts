// The CSV export against a real PostgreSQL 15: byte-identical to the CSV the
// csv-stringify export wrote (golden file from the fixture range) at any batch
// size and through a slow destination; progress for the desktop export; the
// cursor closed and the connection returned when the destination goes away or
// the export is aborted.
import { readFile } from 'node:fs/promises';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCdrCsv, type CsvProgress } from '../../../relay/call-records/cdr-csv-export.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { EXPORT_FIXTURE_FROM, EXPORT_FIXTURE_ROWS, EXPORT_FIXTURE_TO, seedExportFixture } from './cdr-export-fixture.js';

const FIXTURE = { from: EXPORT_FIXTURE_FROM, to: EXPORT_FIXTURE_TO };
const BIG = { from: new Date('2026-08-01T00:00:00Z'), to: new Date('2026-09-01T00:00:00Z') };
const BIG_ROWS = 2_500;

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
    });
    golden = await readFile(new URL('./fixtures/cdr-export-golden.csv', import.meta.url), 'utf8');
  });

  afterAll(async () => {
    await repositories.stopAll();
    await db?.drop();
  });

  it('writes the same bytes as the csv-stringify export did, at any batch size', async () => {
    expect(golden.split('\n')).toHaveLength(EXPORT_FIXTURE_ROWS + 2 + 3); // header, final LF, three quoted line breaks
    const r = repo();
    for (const batchSize of [1, 37, 1000]) {
      const { out, text } = collector();
      const ready: number[] = [];
      const result = await exportCdrCsv(r, FIXTURE, out, { batchSize, onReady: () => ready.push(batchSize) });
      expect(result.rows).toBe(EXPORT_FIXTURE_ROWS);
      expect(ready).toEqual([batchSize]);
      expect(text()).toBe(golden);
      expect(out.writableFinished).toBe(true);
    }
  });

  it('waits for a slow destination (backpressure) and still writes every byte', async () => {
    const r = repo();
    const sink = slowSink();
    const result = await exportCdrCsv(r, FIXTURE, sink.out, { batchSize: 50 });
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
    const result = await exportCdrCsv(repo(), BIG, out, { batchSize: 500, onProgress: (p) => progress.push(p) });
    expect(result.rows).toBe(BIG_ROWS);
    expect(text().split('\n')).toHaveLength(BIG_ROWS + 2);
    expect(progress.map((p) => p.rows)).toEqual([1000, 2000, BIG_ROWS]);
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
    await expect(exportCdrCsv(r, BIG, out, { batchSize: 100 })).rejects.toThrow();
    expect(written).toBeGreaterThan(0);
    // poolMax 1: this would wait forever if the export still held the connection.
    expect((await r.page({ ...BIG, limit: 1 })).rows).toHaveLength(1);
  });

  it('stops on abort, destroys the half-written destination and returns the connection', async () => {
    const r = repo({ poolMax: 1 });
    const abort = new AbortController();
    const sink = slowSink();
    const exporting = exportCdrCsv(r, BIG, sink.out, {
      batchSize: 100,
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
