// The CSV export against the demo's call-record database (PGlite behind the
// relay's session server): COPY works there too, and a reader that leaves
// early is not held up by the cancel, which PGlite (one session at a time)
// could only serve once the export's own transaction ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCdrCsv } from '../../../relay/call-records/cdr-csv-export.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { startDemoCdrDatabase, type DemoCdrDatabase } from '../../../relay/demo/demo-cdr-database.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';
import { PassThrough } from 'node:stream';

const NOW = Date.parse('2026-11-02T12:00:00Z');
const RANGE = { from: new Date(NOW - 40 * 86_400_000), to: new Date(NOW + 1000) };
const ROWS = 20_000;

describe('CDR export from the demo database (PGlite)', () => {
  let db: DemoCdrDatabase;
  const repositories = cdrTestRepositories(() => db.url);

  beforeAll(async () => {
    db = await startDemoCdrDatabase(silentLogger);
    await db.ready;
    await db.seedHistory({ rows: ROWS, days: 30, now: NOW });
  }, 120_000);

  afterAll(async () => {
    await repositories.stopAll();
    await db?.stop();
  });

  it('exports every row, and stops early without waiting on the cancel', async () => {
    const r = repositories.open({ poolMax: 1 });
    const out = new PassThrough();
    let bytes = 0;
    out.on('data', (c: Buffer) => (bytes += c.length));
    expect((await exportCdrCsv(r, RANGE, out)).rows).toBe(ROWS);
    expect(bytes).toBeGreaterThan(ROWS * 100);

    let rows = 0;
    let stoppedAt = 0;
    for await (const chunk of r.csvChunks(RANGE, { chunkBytes: 4096 })) {
      rows += chunk.rows;
      stoppedAt = Date.now();
      break;
    }
    const stopMs = Date.now() - stoppedAt;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(ROWS);
    // A cancel through a second connection would wait for this session: the connect timeout (5 s).
    expect(stopMs).toBeLessThan(2000);
    expect((await r.page({ ...RANGE, limit: 3 })).rows).toHaveLength(3);
  }, 60_000);
});
