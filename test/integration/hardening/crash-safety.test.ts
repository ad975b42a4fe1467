// Crash safety (contract §6: "A write the API acknowledged survives a
// `kill -9` of the relay"). Twenty rounds: the headless relay runs as a child
// process on one fixed data dir while API keys, users, key revocations and
// error acknowledgements are written through the admin HTTP API; at a random
// moment it is killed with SIGKILL. After every restart each write that was
// acknowledged (201/200 received) must be there, the store must open cleanly
// (the relay becomes ready, migrations re-run idempotently) and, at the end,
// SQLite's integrity check must pass.
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyInfo, ErrorEntry } from '../../../relay/contract/api-types.js';
import { AdminClient } from '../../../bench/support/admin-client.js';
import { buildRelay } from '../../../build/prepare-relay.mjs';
import { REPO_ROOT } from '../../support/child-process.js';
import { startRelayChild, type RelayChild } from '../../../bench/support/relay-process.js';
import { freeLoopbackPort } from '../../support/postgres-server.js';

const ROUNDS = 20;
const ADMIN_PASSWORD = 'crash-admin-password-1';

interface Acknowledged {
  keys: Map<string, string>; // id -> apiKey
  revoked: Set<string>;
  /** Revocations sent but not acknowledged: either outcome is allowed. */
  revoking: Set<string>;
  users: Set<string>;
  acknowledgedErrors: Set<number>;
}

/** Writes through the admin API until stopped or the relay dies; records what was acknowledged. */
async function writeUntilDead(admin: AdminClient, ack: Acknowledged, round: number, stop: AbortSignal): Promise<number> {
  let n = 0;
  const swallow = () => undefined; // a request cut by the kill is simply not acknowledged
  const keyWriter = async () => {
    while (!stop.aborted) {
      const res = await admin.request('POST', '/admin/api-keys', { clientName: `crash-${round}-${n++}`, permissions: ['read'] }).catch(swallow);
      if (!res) return;
      if (res.status === 201) {
        const body = (await res.json().catch(swallow)) as { id: string; apiKey: string } | undefined;
        if (body) ack.keys.set(body.id, body.apiKey);
      }
    }
  };
  const userWriter = async () => {
    while (!stop.aborted) {
      const username = `user${round}x${n++}`;
      const res = await admin.request('POST', '/admin/users', { username, password: 'crash-user-password', role: 'viewer' }).catch(swallow);
      if (!res) return;
      if (res.status === 201 || res.status === 200) ack.users.add(username);
    }
  };
  const revoker = async () => {
    while (!stop.aborted) {
      const candidate = [...ack.keys.keys()].find((id) => !ack.revoked.has(id) && !ack.revoking.has(id));
      if (!candidate) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      ack.revoking.add(candidate);
      const res = await admin.request('DELETE', `/admin/api-keys/${candidate}`).catch(swallow);
      if (!res) return;
      if (res.status === 200) {
        ack.revoking.delete(candidate);
        ack.revoked.add(candidate);
      }
    }
  };
  const errorAcker = async () => {
    while (!stop.aborted) {
      const list = await admin.request('GET', '/admin/errors?acknowledged=false&limit=50').catch(swallow);
      if (!list) return;
      const body = (await list.json().catch(swallow)) as { errors: ErrorEntry[] } | undefined;
      const open = body?.errors ?? [];
      if (open.length === 0) await new Promise((r) => setTimeout(r, 10));
      for (const e of open) {
        const res = await admin.request('POST', `/admin/errors/${e.id}/acknowledge`).catch(swallow);
        if (!res) return;
        if (res.status === 200) ack.acknowledgedErrors.add(e.id);
      }
    }
  };
  await Promise.all([keyWriter(), keyWriter(), userWriter(), revoker(), errorAcker()]);
  return n;
}

async function verify(relay: RelayChild, ack: Acknowledged): Promise<void> {
  const admin = await AdminClient.login(relay.url, ADMIN_PASSWORD);
  const { keys } = (await (await admin.request('GET', '/admin/api-keys')).json()) as { keys: ApiKeyInfo[] };
  const byId = new Map(keys.map((k) => [k.id, k]));
  for (const id of ack.keys.keys()) {
    expect(byId.has(id), `acknowledged key ${id} is listed`).toBe(true);
    if (ack.revoking.has(id)) continue;
    expect(byId.get(id)!.active, `key ${id} active state`).toBe(!ack.revoked.has(id));
  }
  // A sample of the keys must really authenticate (or be refused once revoked).
  const ids = [...ack.keys.keys()].filter((id) => !ack.revoking.has(id));
  for (const id of [...ids.slice(-4), ...[...ack.revoked].slice(-2)]) {
    const res = await fetch(`${relay.url}/relay/ws-ticket`, { method: 'POST', headers: { authorization: `Bearer ${ack.keys.get(id)}` } });
    expect(res.status, `key ${id} after restart`).toBe(ack.revoked.has(id) ? 401 : 201);
  }
  const { users } = (await (await admin.request('GET', '/admin/users')).json()) as { users: { username: string }[] };
  const names = new Set(users.map((u) => u.username));
  for (const u of ack.users) expect(names.has(u), `acknowledged user ${u} is listed`).toBe(true);
  if (ack.acknowledgedErrors.size > 0) {
    const errs = (await (await admin.request('GET', '/admin/errors?acknowledged=true&limit=500')).json()) as { errors: ErrorEntry[] };
    const acked = new Set(errs.errors.map((e) => e.id));
    for (const id of ack.acknowledgedErrors) expect(acked.has(id), `acknowledged error ${id} stays acknowledged`).toBe(true);
  }
}

describe('crash safety: kill -9 during admin writes', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'relay-crash-'));
  let relay: RelayChild | undefined;
  // relay/cli.ts bundled once, as `npm run relay` runs it, into a file of
  // this suite's own (other suites may be rebuilding dist/relay/cli.mjs).
  let entry: string;
  beforeAll(async () => {
    entry = await buildRelay({ outfile: path.join(REPO_ROOT, 'dist', 'hardening-crash', 'cli.mjs') });
  });
  afterAll(async () => {
    await relay?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write across ${ROUNDS} SIGKILLs and opens cleanly`, async () => {
    // Upstreams point at closed loopback ports, so the components fail and
    // the error feed fills with entries to acknowledge.
    const pbxPort = await freeLoopbackPort(); // nobody listens: connections are refused
    const cdrPort = await freeLoopbackPort();
    const ack: Acknowledged = { keys: new Map(), revoked: new Set(), revoking: new Set(), users: new Set(), acknowledgedErrors: new Set() };
    const start = () => startRelayChild({
      entry,
      dataDir,
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'error',
      pbx: { baseUrl: `http://127.0.0.1:${pbxPort}`, clientId: 'crash', clientSecret: 'crash-client-secret' },
      cdrUrl: `postgres://reader:crash-db-password@127.0.0.1:${cdrPort}/database_single`,
    });
    let writes = 0;
    for (let round = 0; round < ROUNDS; round++) {
      relay = await start();
      if (round > 0) await verify(relay, ack);
      const admin = await AdminClient.login(relay.url, ADMIN_PASSWORD);
      const stop = new AbortController();
      const writing = writeUntilDead(admin, ack, round, stop.signal);
      // Random point: from right at the start of the writes to well into
      // them (a user creation alone takes a bcrypt hash, ~0.3 s).
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 1200)));
      relay.proc.kill('SIGKILL');
      await relay.exited;
      stop.abort();
      writes += await writing;
    }
    relay = await start();
    await verify(relay, ack);
    await relay.stop();
    relay = undefined;

    expect(ack.keys.size, 'some key creations were acknowledged').toBeGreaterThan(ROUNDS);
    expect(ack.users.size, 'some user creations were acknowledged').toBeGreaterThan(0);
    expect(ack.revoked.size, 'some revocations were acknowledged').toBeGreaterThan(0);
    expect(ack.acknowledgedErrors.size, 'some error acknowledgements were acknowledged').toBeGreaterThan(0);
    expect(writes).toBeGreaterThan(0);

    const files = readdirSync(dataDir).filter((f) => /\.(sqlite|db)$/.test(f));
    expect(files.length, 'the embedded store file exists').toBeGreaterThan(0);
    for (const f of files) {
      const db = new Database(path.join(dataDir, f), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    }
  }, 240_000);
});
