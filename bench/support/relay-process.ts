// The headless relay as a child process, started exactly as a user starts it
// (the bundle `npm run relay` runs, with the contract's flags and environment
// variables), so the benchmarks measure the product and not a test build.
// Spawned by the one spawner the tests use too (test/support/child-process.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RELAY_LISTENING, spawnChild, tsxArgs, type Child } from '../../test/support/child-process.js';

export interface RelayChildOptions {
  pbx?: { baseUrl: string; clientId: string; clientSecret: string };
  cdrUrl?: string;
  /** Fixed data dir (crash tests); default a fresh temporary one, removed on stop. */
  dataDir?: string;
  adminPassword?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  extraArgs?: string[];
  readyTimeoutMs?: number;
  /**
   * What to start: the bundle `npm run relay` runs (see compiled-relay.ts),
   * or 'tsx' for relay/cli.ts through the TypeScript loader.
   */
  entry: string | 'tsx';
}

export interface RelayChild extends Child {
  url: string;
  dataDir: string;
  adminPassword: string;
}

export function relayArgs(o: RelayChildOptions & { dataDir: string }): string[] {
  const args = ['--host', '127.0.0.1', '--port', '0', '--data-dir', o.dataDir, '--log-level', o.logLevel ?? 'warn'];
  if (o.pbx) args.push('--pbx-url', o.pbx.baseUrl, '--client-id', o.pbx.clientId);
  if (o.cdrUrl) args.push('--cdr-db', o.cdrUrl);
  return [...args, ...(o.extraArgs ?? [])];
}

export function relayEnv(o: RelayChildOptions & { adminPassword: string }): NodeJS.ProcessEnv {
  // Start from a clean slate: a RELAY_* variable of the caller's shell must
  // not change what is measured.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RELAY_')) env[k] = v;
  env.RELAY_ADMIN_PASSWORD = o.adminPassword;
  if (o.pbx) env.RELAY_PBX_CLIENT_SECRET = o.pbx.clientSecret;
  return env;
}

export async function startRelayChild(o: RelayChildOptions): Promise<RelayChild> {
  const ownDir = o.dataDir === undefined;
  const dataDir = o.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'bench-relay-'));
  const adminPassword = o.adminPassword ?? 'bench-admin-password-1';
  let child: Child;
  try {
    child = await spawnChild({
      // BENCH_RELAY_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof")
      // profiles the relay under a benchmark's load.
      args: [...(process.env.BENCH_RELAY_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(o.entry === 'tsx' ? tsxArgs('relay/cli.ts', relayArgs({ ...o, dataDir })) : ['--enable-source-maps', o.entry, ...relayArgs({ ...o, dataDir })])],
      env: relayEnv({ ...o, adminPassword }),
      ready: RELAY_LISTENING,
      readyTimeoutMs: o.readyTimeoutMs ?? 30_000,
    });
  } catch (err) {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const url = child.match[1]!.replace(/\/$/, '');
  return {
    ...child,
    url,
    dataDir,
    adminPassword,
    async stop(signal, graceMs) {
      const code = await child.stop(signal, graceMs);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
