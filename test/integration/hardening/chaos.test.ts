// Chaos: one relay against the simulator's fault switches and its own
// PostgreSQL being stopped and restarted. Throughout, /relay/health must keep
// answering quickly; after each fault every component must recover; each
// fault must land in the error feed once (a repeating fault bumps
// `occurrences` instead of adding rows); and the run must not leak handles,
// timers, listeners or heap (counts taken in the same healthy state at the
// start and at the end, and once more after stop()).
import Database from 'better-sqlite3';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentName, ComponentState, ErrorEntry } from '../../../relay/contract/api-types.js';
import { SQLITE_FILE_NAME } from '../../../relay/store/open-sqlite.js';
import { createCdrDatabase } from '../../../bench/support/cdr-database.js';
import { startPostgres, type PgServer } from '../../support/postgres-server.js';
import { startHarness, type Harness } from '../../support/relay-harness.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface ResourceSnapshot { total: number; byType: Record<string, number>; listeners: number; heapMiB: number }

function snapshot(): ResourceSnapshot {
  gc();
  const byType: Record<string, number> = {};
  const info = process.getActiveResourcesInfo();
  for (const t of info) byType[t] = (byType[t] ?? 0) + 1;
  const listeners = process.eventNames().reduce((s, e) => s + process.listenerCount(e), 0);
  return { total: info.length, byType, listeners, heapMiB: process.memoryUsage().heapUsed / 2 ** 20 };
}

async function waitUntil(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('chaos: faults upstream, the relay stays up and recovers', () => {
  let pgServer: PgServer;
  let cdrUrl: string;
  let stack: Harness | undefined;

  beforeAll(async () => {
    // Our own server: this suite stops and restarts it.
    pgServer = await startPostgres();
    cdrUrl = (await createCdrDatabase(pgServer, { rows: 0 })).readonlyUrl;
  });

  afterAll(async () => {
    await stack?.close();
    await pgServer?.stop();
  });

  it('answers /relay/health throughout, recovers every component, records each fault once and leaks nothing', async () => {
    const beforeStart = snapshot();
    stack = await startHarness({
      cdr: { url: cdrUrl },
      // No generator: its per-call timers would blur the timer counts. The
      // test drives calls itself (below) so events keep flowing.
      sim: { callsPerMinute: 0 },
      tuning: {
        upstream: { requestTimeoutMs: 1500, reconnectBaseMs: 100, reconnectCapMs: 1000, pingIntervalMs: 1000, cdrStatementTimeoutMs: 2000 },
        monitor: { checkIntervalMs: 400 },
      },
    });
    const { service, sim, url } = stack;
    const state = (c: ComponentName): ComponentState => service.health().components[c].state;
    const allConnected = () => (['xapi', 'callcontrol', 'database'] as const).every((c) => state(c) === 'connected');
    await waitUntil('all components connected', allConnected);

    // /relay/health polled four times a second for the whole run.
    const healthFailures: string[] = [];
    let healthPolls = 0;
    let healthMaxMs = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t0 = performance.now();
        try {
          const res = await fetch(`${url}/relay/health`, { signal: AbortSignal.timeout(5000) });
          await res.json();
          if (res.status !== 200) healthFailures.push(`status ${res.status}`);
        } catch (e) {
          healthFailures.push((e as Error).message);
        }
        healthPolls += 1;
        healthMaxMs = Math.max(healthMaxMs, performance.now() - t0);
        await sleep(250);
      }
    })();

    // Call traffic during the whole run: place, answer, hang up.
    let trafficCalls = 0;
    const traffic = (async () => {
      const live: number[] = [];
      while (polling) {
        try {
          if (live.length < 5) live.push(sim.placeInboundCall());
          else {
            const id = live.shift()!;
            if (trafficCalls % 2 === 0) sim.answer(id);
            sim.hangUp(id);
          }
          trafficCalls += 1;
        } catch {
          // a call dropped meanwhile
        }
        await sleep(100);
      }
      for (const id of live) {
        try {
          sim.hangUp(id);
        } catch {
          // already gone
        }
      }
    })();

    const feed = async (): Promise<ErrorEntry[]> => service.admin.listErrors({ limit: 500 });
    /** Runs one fault; returns the feed entries it created and how many repeats it folded into entries. */
    const phase = async (name: string, run: () => Promise<void>) => {
      const before = new Map((await feed()).map((e) => [e.id, e.occurrences]));
      await run();
      await waitUntil(`${name}: all components connected again`, allConnected, 30_000);
      const after = await feed();
      const created = after.filter((e) => !before.has(e.id));
      const bumped = after.reduce((s, e) => s + (before.has(e.id) ? e.occurrences - before.get(e.id)! : e.occurrences - 1), 0);
      return { created, bumped };
    };

    await sleep(2000); // warm: JIT, pools, first checks
    const start = snapshot();

    // 1. Token endpoint answers 500 while the relay needs a new token.
    const token500 = await phase('token 500', async () => {
      sim.faults.tokenEndpointStatus = 500;
      sim.faults.expireTokens();
      await waitUntil('xapi leaves connected', () => state('xapi') !== 'connected');
      await sleep(1500); // several failed attempts
      sim.faults.reset();
    });
    expect(token500.created.length, 'token 500: feed entries').toBeGreaterThanOrEqual(1);
    expect(token500.created.length, 'token 500: one entry per fault and component, not one per attempt').toBeLessThanOrEqual(4);

    // 2. Token endpoint (and 3CX generally) slower than the relay's timeout.
    const slow = await phase('slow token endpoint', async () => {
      sim.faults.latencyMs = 2500;
      sim.faults.expireTokens();
      await waitUntil('xapi leaves connected', () => state('xapi') !== 'connected');
      await sleep(2000);
      sim.faults.reset();
    });
    expect(slow.created.length + slow.bumped, 'slow: the timeouts are reported').toBeGreaterThanOrEqual(1);
    expect(slow.created.length, 'slow: deduplicated').toBeLessThanOrEqual(4);

    // 3. 401 mid-session: every token dies; the relay fetches a new one and carries on.
    const tokensBefore = sim.stats.tokenRequests;
    const expired = await phase('401 mid-session', async () => {
      sim.faults.expireTokens();
      const res = await fetch(`${url}/relay/active-calls`, { headers: { authorization: `Bearer ${stack!.keys.read}` } });
      expect(res.status).toBe(200);
      await waitUntil('a new token was issued', () => sim.stats.tokenRequests > tokensBefore, 10_000);
    });
    expect(expired.created.length, '401 mid-session: at most a note in the feed').toBeLessThanOrEqual(2);

    // 4. The Call Control socket dropped every 1.5 s for 9 s.
    const wsBefore = sim.stats.wsConnections;
    const drops = await phase('websocket drops', async () => {
      sim.faults.dropWebSocketsEveryMs = 1500;
      await sleep(9000);
      sim.faults.dropWebSocketsEveryMs = null;
    });
    const reconnects = sim.stats.wsConnections - wsBefore;
    expect(reconnects, 'the relay reconnected after each drop').toBeGreaterThanOrEqual(4);
    expect(drops.created.length, 'drops: one entry, not one per drop').toBeLessThanOrEqual(3);
    expect(drops.created.length + drops.bumped, 'drops: every drop counted').toBeGreaterThanOrEqual(reconnects - 1);

    // 5. Malformed frames, both kinds, twenty of each.
    const malformed = await phase('malformed frames', async () => {
      for (let i = 0; i < 20; i++) {
        sim.faults.sendMalformedFrame('not-json');
        sim.faults.sendMalformedFrame('wrong-shape');
        await sleep(25);
      }
      await sleep(500);
      expect(state('callcontrol'), 'a bad frame does not cost the connection').toBe('connected');
    });
    expect(malformed.created.length, 'malformed: one entry per kind').toBeLessThanOrEqual(2);
    expect(malformed.created.length + malformed.bumped, 'malformed: all forty counted').toBeGreaterThanOrEqual(40);

    // 6. PostgreSQL stopped, then started again on the same port.
    const dbDown = await phase('PostgreSQL restart', async () => {
      await pgServer.stopServer('fast');
      await waitUntil('database leaves connected', () => state('database') !== 'connected');
      const res = await fetch(`${url}/relay/cdr?from=2026-01-01&to=2026-01-02`, { headers: { authorization: `Bearer ${stack!.keys.read}` } });
      expect([502, 504], 'CDR while the database is down').toContain(res.status);
      await sleep(1500);
      await pgServer.startServer();
    });
    expect(dbDown.created.length, 'database down: feed entries').toBeGreaterThanOrEqual(1);
    expect(dbDown.created.length, 'database down: deduplicated').toBeLessThanOrEqual(3);

    await sleep(2000);
    const end = snapshot();
    polling = false;
    await poller;
    await traffic;
    expect(trafficCalls).toBeGreaterThan(100);

    expect(healthFailures, '/relay/health failures').toEqual([]);
    expect(healthPolls).toBeGreaterThan(50);
    expect(healthMaxMs, 'slowest /relay/health answer (ms)').toBeLessThan(3000);

    // The feed as stored: a handful of rows, repeats folded into occurrences.
    const db = new Database(path.join(stack.dataDir, SQLITE_FILE_NAME), { readonly: true });
    const rows = db.prepare('SELECT COUNT(*) AS n, SUM(occurrences) AS total FROM error_log').get() as { n: number; total: number };
    db.close();
    expect(rows.n, 'error_log rows').toBeLessThanOrEqual(20);
    expect(rows.total, 'occurrences folded into those rows').toBeGreaterThan(rows.n);

    // Same healthy state at start and end: no growth in handles, listeners or heap.
    expect(end.total, `active resources ${JSON.stringify(start.byType)} -> ${JSON.stringify(end.byType)}`).toBeLessThanOrEqual(start.total + 4);
    expect(end.byType.Timeout ?? 0, 'timers').toBeLessThanOrEqual((start.byType.Timeout ?? 0) + 2);
    expect(end.listeners, 'process listeners').toBe(start.listeners);
    expect(end.heapMiB, 'heap after GC (MiB)').toBeLessThan(start.heapMiB + 20);

    await stack.close();
    stack = undefined;
    await sleep(200);
    const stopped = snapshot();
    expect(stopped.total, `after stop(): ${JSON.stringify(beforeStart.byType)} -> ${JSON.stringify(stopped.byType)}`).toBeLessThanOrEqual(beforeStart.total + 2);
    expect(stopped.listeners, 'process listeners after stop()').toBe(beforeStart.listeners);
  }, 180_000);
});
