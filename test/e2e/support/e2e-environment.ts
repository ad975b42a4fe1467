// Everything the dashboard runs against in e2e, all real and on loopback: a
// PostgreSQL 15 holding a 3CX-like CDR database (seeded), the 3CX simulator
// (driven over its /__sim HTTP control, as another process would), and the
// headless relay as a child process pointed at both, serving the built
// dashboard.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { createCdrDatabase } from '../../support/cdr-database.js';
import { startPostgres, type PgServer } from '../../support/postgres-server.js';
import { ensureRendererBuilt } from './renderer-build.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';

export interface E2eEnvironment {
  readonly relay: RelayProcess;
  readonly sim: Simulator;
  readonly adminPassword: string;
  /** Seeded call records: how many, and the range they span. */
  readonly seeded: { rows: number; from: Date; to: Date };
  /** Stops the relay and starts it again on the same port and data (banner test). */
  restartRelay(between?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2eEnvironment(): Promise<E2eEnvironment> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // keep cleaning up the rest
      }
    }
  };
  try {
    const [pgServer] = await Promise.all([startPostgres(), ensureRendererBuilt()]);
    cleanups.push(() => pgServer.stop());
    const { readerUrl, adminUrl, seeded } = await prepareCdrDatabase(pgServer);

    const sim = await startSimulator({ callsPerMinute: 0, cdrDatabaseUrl: adminUrl, callControlMonitors: 'all' });
    cleanups.push(() => sim.stop());

    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relay-e2e-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const adminPassword = randomBytes(12).toString('base64url');
    const env = { RELAY_PBX_CLIENT_SECRET: sim.clientSecret, RELAY_ADMIN_PASSWORD: adminPassword };
    const args = (port: number) => [
      '--port', String(port), '--data-dir', dataDir, '--pbx-url', sim.url, '--client-id', sim.clientId, '--cdr-db', readerUrl,
    ];
    let relay = await startRelayProcess(args(0), env);
    const port = relay.port;
    cleanups.push(() => relay.stop());

    return {
      get relay() {
        return relay;
      },
      sim,
      adminPassword,
      seeded,
      async restartRelay(between) {
        await relay.stop();
        await between?.();
        relay = await startRelayProcess(args(port), env);
      },
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The call-record database: 3CX-like names and read-only role, 20 days of calls up to an hour ago. */
async function prepareCdrDatabase(server: PgServer) {
  const to = new Date(Date.now() - 3600_000);
  const from = new Date(to.getTime() - 20 * 86_400_000);
  let rows = 0;
  const db = await createCdrDatabase(server, {
    seed: async (client) => {
      rows = (await seedCdr(client, { from, to, count: 1500, seed: 7 })).rows;
    },
  });
  return { adminUrl: db.adminUrl, readerUrl: db.readonlyUrl, seeded: { rows, from, to } };
}
