// Benchmark 3 — CDR export: 1,000,000 rows in a real PostgreSQL 15 exported
// as CSV through GET /relay/cdr.csv over a one-year range. Rows per second
// and the relay's RSS growth (sampled from /proc while it streams).
// Baselines, same route shape, same database, same client:
// - the physical limit: PostgreSQL's own COPY (SELECT …) TO STDOUT WITH
//   (FORMAT csv) of the same rows as the same bytes (the relay's statement),
//   through psql piped into the answer; the relay must reach 80 % of its
//   rate. Also, for what formatting in the SELECT costs, the same COPY of
//   the columns as stored;
// - the naive export: one unbounded SELECT * into memory, then CSV in memory.
import { startPostgres } from '../../test/support/postgres-server.js';
import { AdminClient } from '../support/admin-client.js';
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { createCdrDatabase } from '../support/cdr-database.js';
import { spawnChild, tsxArgs, type Child } from '../../test/support/child-process.js';
import { downloadCsv, type CsvDownload } from '../support/csv-download.js';
import { mib, sampleRss } from '../support/proc-stats.js';
import { startRelayChild } from '../support/relay-process.js';
import { sleep, waitForComponent } from '../support/wait.js';

async function measuredExport(child: Child, url: string, headers: Record<string, string>) {
  await sleep(500); // settle after start-up before the "before" sample
  const rss = sampleRss(child.pid, 20);
  const dl: CsvDownload = await downloadCsv(url, headers);
  const mem = rss.stop();
  return { dl, mem, growth: mem.peak - mem.first, rowsPerS: dl.rows / dl.seconds };
}

export const cdrExportBenchmark: Benchmark = {
  name: 'cdr-export',
  title: 'CDR export: 1,000,000 rows from PostgreSQL as CSV',
  estimatedS: 80,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const rows = ctx.quick ? 100_000 : 1_000_000;
    try {
      const pg = scope.own(await startPostgres());
      ctx.log(`seeding ${rows.toLocaleString('en-US')} cdroutput rows`);
      const db = await createCdrDatabase(pg, { rows });
      ctx.log(`seeded in ${db.seedSeconds.toFixed(1)} s`);
      const query = `from=${encodeURIComponent(db.from)}&to=${encodeURIComponent(db.to)}`;

      const relay = scope.own(await startRelayChild({ entry: ctx.relayEntry, cdrUrl: db.readonlyUrl }));
      await waitForComponent(relay.url, 'database', 'connected');
      const admin = await AdminClient.login(relay.url, relay.adminPassword);
      const { apiKey } = await admin.createKey('bench-cdr-export', ['read']);
      ctx.log('exporting through the relay');
      const ours = await measuredExport(relay, `${relay.url}/relay/cdr.csv?${query}`, { authorization: `Bearer ${apiKey}` });
      await scope.release(relay);

      const copyBaseline = async (select: 'export' | 'plain') => {
        const server = scope.own(await spawnChild({
          args: tsxArgs('bench/baselines/copy-cdr-export.ts'),
          env: { BASELINE_CDR_URL: db.readonlyUrl, BASELINE_COPY_SELECT: select },
          ready: /baseline listening on (\S+)/,
        }));
        const measured = await measuredExport(server, `${server.match[1]}/relay/cdr.csv?${query}`, {});
        await scope.release(server);
        return measured;
      };
      ctx.log('baseline: COPY … TO STDOUT of the same bytes through psql (the physical limit)');
      const copy = await copyBaseline('export');
      ctx.log('baseline: COPY … TO STDOUT of the columns as stored');
      const plainCopy = await copyBaseline('plain');

      ctx.log('baseline: unbounded SELECT * into memory');
      const baseline = scope.own(await spawnChild({
        args: tsxArgs('bench/baselines/unbounded-cdr-export.ts'),
        env: { BASELINE_CDR_URL: db.readonlyUrl },
        ready: /baseline listening on (\S+)/,
      }));
      const base = await measuredExport(baseline, `${baseline.match[1]}/relay/cdr.csv?${query}`, {});
      await scope.release(baseline);

      return {
        name: 'cdr-export',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          rowsInDatabase: rows,
          rowsExported: ours.dl.rows,
          status: ours.dl.status,
          contentType: ours.dl.contentType,
          seconds: ours.dl.seconds,
          rowsPerS: Math.round(ours.rowsPerS),
          csvMiB: mib(ours.dl.bytes),
          relayRssBeforeMiB: mib(ours.mem.first),
          relayRssPeakMiB: mib(ours.mem.peak),
          relayRssGrowthMiB: mib(ours.growth),
        },
        baseline: {
          description: 'copy*: PostgreSQL COPY (the relay\'s SELECT: the same bytes) TO STDOUT WITH (FORMAT csv) through psql, piped into the answer (the physical limit); ' +
            'plainCopy*: the same COPY of the columns as stored; ' +
            'the rest: express app, one unbounded SELECT * into memory, CSV built in memory, sent in one piece',
          figures: {
            copyRowsExported: copy.dl.rows,
            copySeconds: copy.dl.seconds,
            copyRowsPerS: Math.round(copy.rowsPerS),
            copyCsvMiB: mib(copy.dl.bytes),
            plainCopySeconds: plainCopy.dl.seconds,
            plainCopyRowsPerS: Math.round(plainCopy.rowsPerS),
            rowsExported: base.dl.rows,
            seconds: base.dl.seconds,
            rowsPerS: Math.round(base.rowsPerS),
            rssBeforeMiB: mib(base.mem.first),
            rssPeakMiB: mib(base.mem.peak),
            rssGrowthMiB: mib(base.growth),
          },
        },
        ratios: {
          rowsPerSOfCopy: copy.rowsPerS > 0 ? ours.rowsPerS / copy.rowsPerS : null,
          rowsPerSOfPlainCopy: plainCopy.rowsPerS > 0 ? ours.rowsPerS / plainCopy.rowsPerS : null,
          rowsPerS: base.rowsPerS > 0 ? ours.rowsPerS / base.rowsPerS : null,
          rssGrowth: base.growth > 0 ? ours.growth / base.growth : null,
        },
        targets: [
          target('every row exported', ours.dl.rows, (v) => v === rows),
          target('>= 100,000 rows/s', ours.rowsPerS, (v) => v >= 100_000),
          target('>= 80 % of COPY\'s rows/s', copy.rowsPerS > 0 ? ours.rowsPerS / copy.rowsPerS : null, (v) => v >= 0.8),
          target('relay RSS growth < 64 MiB', mib(ours.growth), (v) => v < 64),
        ],
        notes: [
          'copy runs the relay\'s own COPY statement (ISO-8601 times, formula rule); plainCopy writes PostgreSQL\'s own text for each value (times as 2026-01-01 10:00:00+00), no rule',
          `seeding took ${db.seedSeconds.toFixed(1)} s (generate_series inside PostgreSQL, not timed)`, 'RSS sampled every 20 ms from /proc/PID/status'],
      };
    } finally {
      await scope.close();
    }
  },
};
