// Call records over HTTP against a real PostgreSQL: keyset pages return every
// row of a range exactly once, the CSV export streams every row, and a client
// hanging up mid-export closes the database cursor.
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdrPage } from '../../../relay/contract/api-types.js';
import { CDR_CSV_COLUMNS } from '../../../relay/call-records/cdr-csv-export.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { CDR_RANGE, CDR_RANGE_QUERY as range, startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});


describe('GET /relay/cdr', () => {
  it('pages newest first through every row of the range exactly once', async () => {
    const seen: string[] = [];
    const starts: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await h.req(`/relay/cdr?${range}&limit=37${cursor ? `&cursor=${cursor}` : ''}`, { auth: h.keys.read });
      expect(r.status).toBe(200);
      const page = (await r.json()) as CdrPage;
      expect(page.rows.length).toBeLessThanOrEqual(37);
      for (const row of page.rows) {
        seen.push(row.cdr_id);
        starts.push(Date.parse(row.cdr_started_at));
      }
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toHaveLength(CDR_RANGE.rows);
    expect(new Set(seen).size).toBe(CDR_RANGE.rows);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(pages).toBe(Math.ceil(CDR_RANGE.rows / 37));
  });

  it('defaults to 100 rows and keeps 3CX column names', async () => {
    const page = (await (await h.req(`/relay/cdr?${range}`, { auth: h.keys.read })).json()) as CdrPage;
    expect(page.rows).toHaveLength(100);
    expect(Object.keys(page.rows[0]!).sort()).toEqual([...CDR_CSV_COLUMNS].sort());
  });

  it('answers the dashboard the same through /admin/cdr', async () => {
    const a = (await (await h.req(`/relay/cdr?${range}&limit=5`, { auth: h.keys.read })).json()) as CdrPage;
    const b = (await (await h.req(`/admin/cdr?${range}&limit=5`, { auth: h.viewerToken })).json()) as CdrPage;
    expect(b).toEqual(a);
  });

  it('400 for a cursor the relay did not issue', async () => {
    const r = await h.req(`/relay/cdr?${range}&cursor=AAAAAAAAAAAAAAAA`, { auth: h.keys.read });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { code: string }).code).toBe('bad_request');
  });
});

describe('GET /relay/cdr.csv', () => {
  it('streams a header and every row of the range', async () => {
    const r = await h.req(`/relay/cdr.csv?${range}`, { auth: h.keys.read });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(r.headers.get('content-disposition')).toMatch(/attachment; filename="cdr-2026-01-01-2026-02-01.csv"/);
    const lines = (await r.text()).trim().split('\n');
    expect(lines[0]).toBe(CDR_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(CDR_RANGE.rows + 1);
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(ids).size).toBe(CDR_RANGE.rows);
    const admin = await h.req(`/admin/cdr.csv?${range}`, { auth: h.viewerToken });
    expect((await admin.text()).trim().split('\n')).toHaveLength(CDR_RANGE.rows + 1);
  });

  it('an empty range is a header only', async () => {
    const r = await h.req('/relay/cdr.csv?from=2020-01-01&to=2020-01-02', { auth: h.keys.read });
    expect((await r.text()).trim()).toBe(CDR_CSV_COLUMNS.join(','));
  });

  it('closes the database cursor when the client hangs up mid-export', async () => {
    // Enough rows that the export cannot finish before we hang up.
    const seeder = new pg.Client({ connectionString: h.cdr!.url });
    await seeder.connect();
    try {
      await seedCdr(seeder, { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z'), count: 60_000, seed: 3 });
    } finally {
      await seeder.end();
    }
    const activeExports = async () => {
      const c = new pg.Client({ connectionString: h.cdr!.url });
      await c.connect();
      try {
        // The statement is long (track_activity_query_size cuts the text), so match its start.
        const r = await c.query(
          // A parallel plan shows its workers here with the same query text: count client backends only.
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND backend_type = 'client backend'
             AND state IN ('active', 'idle in transaction') AND query LIKE 'COPY (SELECT%'`,
        );
        return (r.rows[0] as { n: number }).n;
      } finally {
        await c.end();
      }
    };
    const { port } = new URL(h.url);
    let duringExport = -1;
    const received = await new Promise<number>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/relay/cdr.csv?from=2025-03-01&to=2025-04-01', headers: { authorization: `Bearer ${h.keys.read}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        let bytes = 0;
        // Read a little, then stop reading and hang up: the relay is mid-stream.
        res.once('data', (chunk: Buffer) => {
          bytes += chunk.length;
          res.pause();
          activeExports().then((n) => {
            duringExport = n;
            req.destroy();
            resolve(bytes);
          }, reject);
        });
      });
      req.on('error', (e) => {
        if ((e as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(e);
      });
    });
    expect(received).toBeGreaterThan(0);
    expect(duringExport).toBe(1);
    await waitUntil(async () => (await activeExports()) === 0, 'export cursor closed', 5_000);
    // The relay still answers afterwards (the pool connection was returned).
    expect((await h.req(`/relay/cdr?${range}&limit=1`, { auth: h.keys.read })).status).toBe(200);
  });
});
