// A whole relay for the HTTP tests: the real service (store in a temp dir,
// auth, monitor, HTTP + WebSocket) connected to a real 3CX simulator and a
// real PostgreSQL call-record database seeded with known rows. Everything
// started here is stopped by close().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Health } from '../../../relay/contract/api-types.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { createRelayService, type RelayConfig, type RelayService, type RelayTuning } from '../../../relay/service.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const VIEWER_PASSWORD = 'viewer-password-for-tests';
export const ALLOWED_ORIGIN = 'https://crm.example.com';
/** Seeded call records: this many rows between these two instants. */
export const CDR_RANGE = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', rows: 400 };
/** CDR_RANGE as the `from`/`to` query of the CDR routes. */
export const CDR_RANGE_QUERY = `from=${CDR_RANGE.from}&to=${CDR_RANGE.to}`;

export interface Harness {
  url: string;
  sim: Simulator;
  service: RelayService;
  cdr: ScratchDatabase;
  dataDir: string;
  adminToken: string;
  viewerToken: string;
  keys: { read: string; control: string; readId: string; controlId: string };
  /** Every log record so far, as text (for secret checks). */
  logText(): string;
  /** fetch against the relay; `auth` is an API key or admin token sent as Bearer. */
  req(p: string, init?: RequestInit & { auth?: string; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  tuning?: RelayTuning;
  config?: Partial<RelayConfig>;
  /** Skip the CDR database (tests that do not need it start faster). */
  noCdr?: boolean;
}

export async function waitUntil<T>(probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function seedKnownCdr(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await seedCdr(client, { from: new Date(CDR_RANGE.from), to: new Date(CDR_RANGE.to), count: CDR_RANGE.rows, seed: 42 });
  } finally {
    await client.end();
  }
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ seed: 11, callControlMonitors: 'all' });
  const cdr = opts.noCdr ? null : await createScratchDatabase('http_cdr', { cdrSchema: true });
  if (cdr) await seedKnownCdr(cdr.url);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-http-'));
  const sink = memorySink();
  const secrets = [sim.clientSecret, ADMIN_PASSWORD];
  const logger = createLogger(sink, { level: 'debug', secrets: () => secrets });
  const service = createRelayService({
    host: '127.0.0.1',
    port: 0,
    pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
    ...(cdr ? { cdr: { url: cdr.url } } : {}),
    dataDir,
    allowedOrigins: [ALLOWED_ORIGIN],
    allowedHostNames: ['relay.test'],
    adminPassword: ADMIN_PASSWORD,
    version: '9.9.9-test',
    ...opts.config,
    tuning: { bcryptCost: 4, flushIntervalMs: 100, monitor: { checkIntervalMs: 1_000 }, upstream: { reconnectBaseMs: 50, reconnectCapMs: 500 }, ...opts.tuning },
  }, { logger });
  let started: { url: string };
  try {
    started = await service.start();
  } catch (e) {
    await service.stop();
    await sim.stop();
    await cdr?.drop();
    throw e;
  }
  const url = started.url;
  const req: Harness['req'] = (p, init = {}) => {
    const { auth, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth) headers.set('authorization', `Bearer ${auth}`);
    if (json !== undefined) headers.set('content-type', 'application/json');
    return fetch(url + p, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  };
  const close = async () => {
    await service.stop();
    await sim.stop();
    await cdr?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntil(async () => {
      const h = (await (await req('/relay/health')).json()) as Health;
      return h.components.xapi.state === 'connected' && h.components.callcontrol.state === 'connected'
        && (opts.noCdr || h.components.database.state === 'connected');
    }, 'upstreams connected');
    const login = async (username: string, password: string) => {
      const r = await req('/admin/login', { method: 'POST', json: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
      return ((await r.json()) as { token: string }).token;
    };
    const adminToken = await login('admin', ADMIN_PASSWORD);
    const created = await req('/admin/users', { method: 'POST', auth: adminToken, json: { username: 'vera', password: VIEWER_PASSWORD, role: 'viewer' } });
    if (created.status !== 201) throw new Error(`create viewer: ${created.status}`);
    const viewerToken = await login('vera', VIEWER_PASSWORD);
    const key = async (permissions: string[]) => {
      const r = await req('/admin/api-keys', { method: 'POST', auth: adminToken, json: { clientName: `it-${permissions.join('-')}`, permissions } });
      return (await r.json()) as { id: string; apiKey: string };
    };
    const read = await key(['read']);
    const control = await key(['read', 'control']);
    return {
      url, sim, service, cdr: cdr!, dataDir, adminToken, viewerToken,
      keys: { read: read.apiKey, control: control.apiKey, readId: read.id, controlId: control.id },
      logText: () => JSON.stringify(sink.records),
      req,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
