// `npm run soak [-- --minutes 10] [--sample-s 10]`: the relay (in a child
// process, with an event-loop probe) under steady simulator traffic and
// client churn — WebSocket clients connecting, reconnecting with ?since= and
// leaving; REST pollers; CDR pages and small CSV exports; API keys created,
// used and revoked; admin sessions opened and closed. Every sample period it
// prints the relay's RSS, heap, event-loop delay and active handle count,
// and at the end fails (exit 1) if RSS, heap or event-loop delay trend
// upward beyond a tolerance. Outside `npm test`.
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { RelayConfig } from '../relay/service.js';
import { startPostgres } from '../test/support/postgres-server.js';
import { AdminClient } from './support/admin-client.js';
import { writeResult, target, type BenchResult } from './support/bench-result.js';
import { createCdrDatabase } from './support/cdr-database.js';
import { spawnChild, tsxArgs } from '../test/support/child-process.js';
import { downloadCsv } from './support/csv-download.js';
import { slope } from './support/percentiles.js';
import type { HostSample } from './support/relay-host.js';
import { startSimChild } from './support/sim-process.js';
import { sleep, waitForComponent } from './support/wait.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, 'sample-s': { type: 'string', default: '10' } } });
const minutes = Number(values.minutes);
const sampleS = Number(values['sample-s']);
if (!(minutes > 0) || !(sampleS > 0)) {
  console.error('usage: npm run soak -- [--minutes N] [--sample-s S]');
  process.exit(2);
}

const ADMIN_PASSWORD = 'soak-admin-password-1';
const MiB = 2 ** 20;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Steady traffic and churn until `signal` aborts. Returns counters. */
function churn(relayUrl: string, admin: AdminClient, readKey: string, range: { from: string; to: string }, signal: AbortSignal) {
  const counters = { wsOpened: 0, wsClosed: 0, polls: 0, pollFailures: 0, cdrPages: 0, exports: 0, keysCycled: 0, logins: 0, frames: 0 };
  const wsUrl = `${relayUrl.replace(/^http/, 'ws')}/relay/ws`;
  const sockets = new Set<WebSocket>();
  let lastSeq = 0;
  const open = (since?: number) => {
    const ws = new WebSocket(since === undefined ? wsUrl : `${wsUrl}?since=${since}`, { headers: { authorization: `Bearer ${readKey}` } });
    ws.on('message', (d: Buffer) => {
      counters.frames += 1;
      const m = /"seq":(\d+)/.exec(d.toString('utf8'));
      if (m) lastSeq = Math.max(lastSeq, Number(m[1]));
    });
    ws.on('open', () => void counters.wsOpened++);
    ws.on('close', () => {
      counters.wsClosed += 1;
      sockets.delete(ws);
    });
    ws.on('error', () => undefined);
    sockets.add(ws);
  };
  for (let i = 0; i < 20; i++) open();
  const auth = { authorization: `Bearer ${readKey}` };
  const timers = [
    // WebSocket churn: two leave, two join (one of them resuming with ?since=).
    setInterval(() => {
      const list = [...sockets];
      for (const ws of list.slice(0, 2)) ws.close();
      open();
      open(Math.max(0, lastSeq - 50));
    }, 1000),
    // Pollers: ten a second.
    setInterval(() => {
      for (let i = 0; i < 10; i++) {
        fetch(`${relayUrl}/relay/active-calls`, { headers: auth })
          .then(async (r) => { await r.arrayBuffer(); counters.polls++; if (r.status !== 200) counters.pollFailures++; })
          .catch(() => void counters.pollFailures++);
      }
    }, 1000),
    setInterval(() => {
      fetch(`${relayUrl}/relay/cdr?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}&limit=200`, { headers: auth })
        .then(async (r) => { await r.arrayBuffer(); counters.cdrPages++; })
        .catch(() => undefined);
    }, 2000),
    setInterval(() => {
      const to = new Date(range.to);
      const from = new Date(to.getTime() - 7 * 86_400_000);
      downloadCsv(`${relayUrl}/relay/cdr.csv?from=${from.toISOString()}&to=${to.toISOString()}`, auth)
        .then(() => void counters.exports++)
        .catch(() => undefined);
    }, 10_000),
    // Key lifecycle and admin sessions.
    setInterval(() => {
      void (async () => {
        const k = await admin.createKey(`soak-${counters.keysCycled}`, ['read']);
        await fetch(`${relayUrl}/relay/active-calls`, { headers: { authorization: `Bearer ${k.apiKey}` } }).then((r) => r.arrayBuffer());
        await admin.request('DELETE', `/admin/api-keys/${k.id}`).then((r) => r.arrayBuffer());
        counters.keysCycled += 1;
        const session = await AdminClient.login(relayUrl, ADMIN_PASSWORD);
        await session.request('GET', '/admin/stats').then((r) => r.arrayBuffer());
        await session.request('POST', '/admin/logout').then((r) => r.arrayBuffer());
        counters.logins += 1;
      })().catch(() => undefined);
    }, 5000),
  ];
  signal.addEventListener('abort', () => {
    for (const t of timers) clearInterval(t);
    for (const ws of sockets) ws.terminate();
  });
  return counters;
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  console.log(`soak: ${minutes} min, a sample every ${sampleS} s`);
  const pg = await startPostgres();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'soak-relay-'));
  // Fast calls: many Call Control events a second, calls begin and end all the time.
  const sim = await startSimChild({ callsPerMinute: 600, timeScale: 0.05, seed: 7 });
  const stop = new AbortController();
  let host: Awaited<ReturnType<typeof spawnChild>> | null = null;
  try {
    const db = await createCdrDatabase(pg, { rows: 50_000 });
    const config: RelayConfig = {
      host: '127.0.0.1',
      port: 0,
      pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: '' },
      cdr: { url: db.readonlyUrl },
      dataDir,
      allowedOrigins: [],
      allowedHostNames: [],
      version: 'soak',
    };
    const samples: HostSample[] = [];
    host = await spawnChild({
      args: tsxArgs('bench/support/relay-host.ts', [JSON.stringify(config), String(sampleS * 1000)]),
      env: { RELAY_PBX_CLIENT_SECRET: sim.clientSecret, RELAY_ADMIN_PASSWORD: ADMIN_PASSWORD },
      ready: /relay listening on (http:\/\/\S+)/,
      ipc: true,
    });
    const url = host.match[1]!;
    host.proc.on('message', (s: HostSample) => {
      if (s.type !== 'sample') return;
      samples.push(s);
      const minute = ((s.atMs - samples[0]!.atMs) / 60_000).toFixed(1);
      console.log(`  t+${minute.padStart(5)} min  rss ${(s.rssBytes / MiB).toFixed(1).padStart(6)} MiB  heap ${(s.heapUsedBytes / MiB).toFixed(1).padStart(6)} MiB  `
        + `loop mean ${s.eventLoopMeanMs.toFixed(2)} p99 ${s.eventLoopP99Ms.toFixed(2)} max ${s.eventLoopMaxMs.toFixed(1)} ms  handles ${s.activeResources}`);
    });
    await waitForComponent(url, 'callcontrol', 'connected');
    const admin = await AdminClient.login(url, ADMIN_PASSWORD);
    const { apiKey } = await admin.createKey('soak-reader', ['read']);
    const counters = churn(url, admin, apiKey, { from: db.from, to: db.to }, stop.signal);
    await sleep(minutes * 60_000 + 500);
    stop.abort();
    const simStats = await sim.stats();

    // Trend over the run, the first fifth (warm-up: JIT, caches, pools) left out.
    const steady = samples.slice(Math.max(1, Math.floor(samples.length / 5)));
    const third = Math.max(1, Math.floor(steady.length / 3));
    const first = steady.slice(0, third);
    const last = steady.slice(-third);
    const xsMin = steady.map((s) => (s.atMs - steady[0]!.atMs) / 60_000);
    const rssGrowthMiB = (mean(last.map((s) => s.rssBytes)) - mean(first.map((s) => s.rssBytes))) / MiB;
    const heapGrowthMiB = (mean(last.map((s) => s.heapUsedBytes)) - mean(first.map((s) => s.heapUsedBytes))) / MiB;
    const loopFirst = mean(first.map((s) => s.eventLoopP99Ms));
    const loopLast = mean(last.map((s) => s.eventLoopP99Ms));
    const rssSlope = slope(xsMin, steady.map((s) => s.rssBytes / MiB));
    const heapSlope = slope(xsMin, steady.map((s) => s.heapUsedBytes / MiB));
    const loopSlope = slope(xsMin, steady.map((s) => s.eventLoopP99Ms));
    const rssStart = mean(first.map((s) => s.rssBytes)) / MiB;
    const rssTolerance = Math.max(16, rssStart * 0.1);
    const heapTolerance = 16;
    const loopTolerance = loopFirst * 0.5 + 5;

    const result: BenchResult = {
      name: 'soak',
      title: `Soak: ${minutes} min of simulator traffic and client churn`,
      startedAt,
      durationS: (performance.now() - t0) / 1000,
      figures: {
        samples: samples.length,
        rssFirstThirdMiB: Math.round(rssStart * 10) / 10,
        rssGrowthMiB: Math.round(rssGrowthMiB * 10) / 10,
        rssSlopeMiBPerMin: Math.round(rssSlope * 100) / 100,
        heapGrowthMiB: Math.round(heapGrowthMiB * 10) / 10,
        heapSlopeMiBPerMin: Math.round(heapSlope * 100) / 100,
        eventLoopP99FirstThirdMs: Math.round(loopFirst * 100) / 100,
        eventLoopP99LastThirdMs: Math.round(loopLast * 100) / 100,
        eventLoopP99SlopeMsPerMin: Math.round(loopSlope * 100) / 100,
        eventLoopWorstMaxMs: Math.round(Math.max(...steady.map((s) => s.eventLoopMaxMs)) * 10) / 10,
        rssLastMiB: Math.round(((steady.at(-1)?.rssBytes ?? 0) / MiB) * 10) / 10,
        handlesFirst: steady[0]?.activeResources ?? null,
        handlesLast: steady.at(-1)?.activeResources ?? null,
        ...counters,
        simCallControlRequests: simStats.callControlRequests,
        simWsConnections: simStats.wsConnections,
      },
      baseline: { description: 'the run\'s own first third (after warm-up) against its last third', figures: {} },
      ratios: {},
      targets: [
        target(`RSS growth (last third vs first third) <= ${rssTolerance.toFixed(0)} MiB`, rssGrowthMiB, (v) => v <= rssTolerance),
        target(`heap growth (last third vs first third) <= ${heapTolerance} MiB`, heapGrowthMiB, (v) => v <= heapTolerance),
        target(`event-loop p99 (last third) <= first third x1.5 + 5 ms (${loopTolerance.toFixed(1)} ms)`, loopLast, (v) => v <= loopTolerance),
        target('pollers answered', counters.polls > 0 ? counters.pollFailures / counters.polls : null, (v) => v < 0.01),
      ],
      notes: ['samples taken inside the relay process (perf_hooks.monitorEventLoopDelay, process.memoryUsage)'],
    };
    const file = writeResult(result);
    console.log(`\nsoak figures: ${JSON.stringify(result.figures)}`);
    for (const t of result.targets) console.log(`  [${t.held ? 'PASS' : 'FAIL'}] ${t.description} (measured ${t.measured?.toFixed(2)})`);
    console.log(`written ${file}`);
    return result.targets.every((t) => t.held) ? 0 : 1;
  } finally {
    stop.abort();
    await host?.stop();
    await sim.stop();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(1);
});
