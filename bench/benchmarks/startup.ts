// Benchmark 5 — start-up and idle footprint of the headless relay: time from
// spawn to the `relay listening on` line (first start on an empty data dir,
// and restarts on an existing one), then RSS after 60 s idle, configured
// against the simulator and a PostgreSQL call-record database. Baseline: a
// bare Node HTTP server (`node -e "require('http').createServer().listen(0)"`),
// its start time and its RSS after the same idle period, side by side.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../../test/support/postgres-server.js';
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { createCdrDatabase } from '../support/cdr-database.js';
import { spawnChild, type Child } from '../../test/support/child-process.js';
import { distribution } from '../support/percentiles.js';
import { mib, rssOf } from '../support/proc-stats.js';
import { startRelayChild, type RelayChildOptions } from '../support/relay-process.js';
import { startSimChild } from '../support/sim-process.js';
import { sleep, waitForComponent } from '../support/wait.js';

const STARTS = 3;
const BARE_SERVER = "require('http').createServer().listen(0,'127.0.0.1',function(){console.log('listening on '+this.address().port)})";

const startBare = () => spawnChild({ args: ['-e', BARE_SERVER], ready: /listening on \d+/ });

export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'Start-up time and idle footprint of the headless relay',
  estimatedS: 90,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const idleS = ctx.quick ? 5 : 60;
    const dataDirs: string[] = [];
    try {
      const sim = scope.own(await startSimChild());
      const pgServer = scope.own(await startPostgres());
      const db = await createCdrDatabase(pgServer, { rows: 0 });
      const config = (dataDir: string): RelayChildOptions => ({
        entry: ctx.relayEntry,
        dataDir,
        pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
        cdrUrl: db.readonlyUrl,
      });
      const newDir = () => {
        const d = mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
        dataDirs.push(d);
        return d;
      };

      // First starts on an empty data dir (migrations, admin bootstrap), then
      // restarts on an existing one.
      const firsts: number[] = [];
      for (let i = 0; i < STARTS; i++) {
        const relay = await startRelayChild(config(newDir()));
        firsts.push(relay.readyAfterMs);
        await relay.stop();
      }
      const warmDir = newDir();
      await (await startRelayChild(config(warmDir))).stop();
      const again: number[] = [];
      for (let i = 0; i < STARTS; i++) {
        const relay = await startRelayChild(config(warmDir));
        again.push(relay.readyAfterMs);
        await relay.stop();
      }
      const bareStarts: number[] = [];
      for (let i = 0; i < STARTS; i++) {
        const bare = await startBare();
        bareStarts.push(bare.readyAfterMs);
        await bare.stop();
      }

      ctx.log(`idling the relay and a bare server side by side for ${idleS} s`);
      const relay = scope.own(await startRelayChild(config(warmDir)));
      const bare: Child = scope.own(await startBare());
      await waitForComponent(relay.url, 'callcontrol', 'connected');
      await waitForComponent(relay.url, 'database', 'connected');
      const rssAtReady = rssOf(relay.pid) ?? 0;
      await sleep(idleS * 1000);
      const relayRss = rssOf(relay.pid) ?? 0;
      const bareRss = rssOf(bare.pid) ?? 0;

      const first = distribution(firsts);
      const warm = distribution(again);
      const bareD = distribution(bareStarts);
      return {
        name: 'startup',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          firstStartMedianMs: Math.round(first.p50),
          firstStartMaxMs: Math.round(first.max),
          restartMedianMs: Math.round(warm.p50),
          restartMaxMs: Math.round(warm.max),
          rssAtReadyMiB: mib(rssAtReady),
          rssAfterIdleMiB: mib(relayRss),
          idleS,
        },
        baseline: {
          description: 'bare Node HTTP server: node -e "require(\'http\').createServer().listen(0)"',
          figures: { startMedianMs: Math.round(bareD.p50), rssAfterIdleMiB: mib(bareRss) },
        },
        ratios: {
          restartVsBareNode: bareD.p50 > 0 ? warm.p50 / bareD.p50 : null,
          idleRssVsBareNode: bareRss > 0 ? relayRss / bareRss : null,
        },
        targets: [
          target('restart < 1 s to `relay listening`', warm.max, (v) => v < 1000),
          target('first start (empty data dir) < 1 s to `relay listening`', first.max, (v) => v < 1000),
          target(`RSS after ${idleS} s idle < 120 MiB`, mib(relayRss), (v) => v < 120),
        ],
        notes: [
          'start time is spawn -> `relay listening` line, measured by the parent, for `node --enable-source-maps dist/relay/cli.mjs` (what `npm run relay` runs once `prerelay` found the bundle current; npm itself adds its own start-up)',
          'configured against the simulator and a PostgreSQL call-record database; upstream connections are made after the listening line',
        ],
      };
    } finally {
      await scope.close();
      for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
    }
  },
};
