// A whole relay for the hardening suites, in this process: the 3CX simulator
// on loopback, a CDR database on a real PostgreSQL, and the relay service
// built by the same composition root the CLI uses, on a temporary data dir.
// Also signs in the bootstrap admin and creates one read and one control key.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, memorySink, type LogFields } from '../../../../relay/core/logger.js';
import { createRelayService, type RelayService, type RelayTuning } from '../../../../relay/service.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../../relay/sim/simulator.js';

export const STACK_ADMIN_PASSWORD = 'hardening-admin-password-1';

export interface RelayStack {
  service: RelayService;
  url: string;
  sim: Simulator;
  dataDir: string;
  adminToken: string;
  readKey: string;
  controlKey: string;
  /** Every secret the relay knows: none may appear in any answer or log. */
  secrets: string[];
  /** Log records the relay wrote (already redacted by the logger). */
  logs: LogFields[];
  stop(): Promise<void>;
}

export interface RelayStackOptions {
  cdrUrl?: string;
  tuning?: RelayTuning;
  sim?: SimulatorOptions;
}

export async function startRelayStack(o: RelayStackOptions = {}): Promise<RelayStack> {
  const sim = await startSimulator({ seed: 11, callControlMonitors: 'all', ...o.sim });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relay-hardening-'));
  const sink = memorySink();
  const cdrPassword = o.cdrUrl ? decodeURIComponent(new URL(o.cdrUrl).password) : '';
  const secrets = [sim.clientSecret, STACK_ADMIN_PASSWORD, ...(cdrPassword ? [cdrPassword] : [])];
  const service = createRelayService({
    host: '127.0.0.1',
    port: 0,
    pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
    ...(o.cdrUrl ? { cdr: { url: o.cdrUrl } } : {}),
    dataDir,
    allowedOrigins: [],
    allowedHostNames: [],
    adminPassword: STACK_ADMIN_PASSWORD,
    version: 'hardening',
    tuning: { bcryptCost: 4, ...o.tuning },
  }, { logger: createLogger(sink, { level: 'debug' }) });
  let url: string;
  try {
    ({ url } = await service.start());
  } catch (e) {
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const login = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: STACK_ADMIN_PASSWORD }),
  });
  const { token: adminToken } = (await login.json()) as { token: string };
  const readKey = (await service.admin.createApiKey('hardening-read', ['read'])).apiKey;
  const controlKey = (await service.admin.createApiKey('hardening-control', ['read', 'control'])).apiKey;
  secrets.push(readKey, controlKey, adminToken);
  let stopped = false;
  return {
    service, url, sim, dataDir, adminToken, readKey, controlKey, secrets, logs: sink.records,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await service.stop();
      } finally {
        await sim.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
