// The one whole relay for in-process tests: the real service, built by the
// same composition root the CLI uses (store in a temp dir, auth, monitor,
// HTTP + WebSocket), connected to a real 3CX simulator and, unless told
// otherwise, a real PostgreSQL call-record database seeded with known rows.
// Signs in the bootstrap admin, creates a viewer and a read and a control
// key. Everything started here is stopped by close().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Health } from '../../relay/contract/api-types.js';
import { createLogger, memorySink, type LogFields } from '../../relay/core/logger.js';
import { createRelayService, type RelayConfig, type RelayService, type RelayTuning } from '../../relay/service.js';
import { seedCdr } from '../../relay/sim/cdr-seed.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../relay/sim/simulator.js';
import { createScratchDatabase, type ScratchDatabase } from './test-postgres.js';

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
  /** The seeded scratch database (cdr: 'seeded'), else null. */
  cdr: ScratchDatabase | null;
  dataDir: string;
  adminToken: string;
  viewerToken: string;
  keys: { read: string; control: string; readId: string; controlId: string };
  /** Every secret the relay knows: none may appear in any answer or log. */
  secrets: string[];
  /** Log records the relay wrote. */
  logs: LogFields[];
  /** Every log record so far, as text (for secret checks). */
  logText(): string;
  /** fetch against the relay; `auth` is an API key or admin token sent as Bearer. */
  req(p: string, init?: RequestInit & { auth?: string; json?: unknown }): Promise<Response>;
  /** Stops the relay, the simulator and the scratch database. Idempotent. */
  close(): Promise<void>;
}

export interface HarnessOptions {
  tuning?: RelayTuning;
  config?: Partial<RelayConfig>;
  /** Call records: a scratch database with CDR_RANGE's rows (default), an existing one, or none (starts faster). */
  cdr?: 'seeded' | { url: string } | 'none';
  sim?: SimulatorOptions;
  /**
   * Mask the simulator's client secret and the admin password in log records,
   * as the CLI's logger does (default). Off: the records as the relay wrote
   * them, for suites that check the relay itself never logs a secret.
   */
  redactLogs?: boolean;
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
  const cdrChoice = opts.cdr ?? 'seeded';
  const sim = await startSimulator({ seed: 11, callControlMonitors: 'all', ...opts.sim });
  const cdr = cdrChoice === 'seeded' ? await createScratchDatabase('http_cdr', { cdrSchema: true }) : null;
  if (cdr) await seedKnownCdr(cdr.url);
  const cdrUrl = cdr?.url ?? (typeof cdrChoice === 'object' ? cdrChoice.url : null);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-harness-'));
  const sink = memorySink();
  const cdrPassword = cdrUrl ? decodeURIComponent(new URL(cdrUrl).password) : '';
  const secrets = [sim.clientSecret, ADMIN_PASSWORD, ...(cdrPassword ? [cdrPassword] : [])];
  const logSecrets = opts.redactLogs === false ? [] : [sim.clientSecret, ADMIN_PASSWORD];
  const logger = createLogger(sink, { level: 'debug', secrets: () => logSecrets });
  const service = createRelayService({
    host: '127.0.0.1',
    port: 0,
    pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
    ...(cdrUrl ? { cdr: { url: cdrUrl } } : {}),
    dataDir,
    allowedOrigins: [ALLOWED_ORIGIN],
    allowedHostNames: ['relay.test'],
    adminPassword: ADMIN_PASSWORD,
    version: '9.9.9-test',
    ...opts.config,
    tuning: { bcryptCost: 4, flushIntervalMs: 100, monitor: { checkIntervalMs: 1_000 }, upstream: { reconnectBaseMs: 50, reconnectCapMs: 500 }, ...opts.tuning },
  }, { logger });
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      try {
        await service.stop();
      } finally {
        await sim.stop();
        await cdr?.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    })();
    return closing;
  };
  try {
    const { url } = await service.start();
    const req: Harness['req'] = (p, init = {}) => {
      const { auth, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth) headers.set('authorization', `Bearer ${auth}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(url + p, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    };
    await waitUntil(async () => {
      const h = (await (await req('/relay/health')).json()) as Health;
      return h.components.xapi.state === 'connected' && h.components.callcontrol.state === 'connected'
        && (!cdrUrl || h.components.database.state === 'connected');
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
    secrets.push(VIEWER_PASSWORD, read.apiKey, control.apiKey, adminToken, viewerToken);
    return {
      url, sim, service, cdr, dataDir, adminToken, viewerToken,
      keys: { read: read.apiKey, control: control.apiKey, readId: read.id, controlId: control.id },
      secrets,
      logs: sink.records,
      logText: () => JSON.stringify(sink.records),
      req,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
