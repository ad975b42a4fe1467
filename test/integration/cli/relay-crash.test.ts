// kill -9 while keys are being created and errors logged: after a restart on
// the same data dir every key whose creation was answered 201 works. Then no
// secret used in the run (3CX client secret, database password, admin
// password, API keys, session tokens) appears anywhere in the data dir or in
// the relay's output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { testPostgres } from '../../support/test-postgres.js';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.js';

const ADMIN_PASSWORD = 'crash-test-admin-password';
let sim: Simulator;
let dataDir: string;
const processes: RelayProcess[] = [];
beforeAll(async () => {
  sim = await startSimulator({ seed: 3, callControlMonitors: 'all' });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-crash-'));
});
afterAll(async () => {
  for (const p of processes) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  await sim?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startRelay(): RelayProcess {
  const p = spawnRelay(
    ['--port', '0', '--data-dir', dataDir, '--pbx-url', sim.url, '--client-id', sim.clientId, '--cdr-db', testPostgres().cdrReadonlyUrl, '--log-level', 'debug'],
    { RELAY_PBX_CLIENT_SECRET: sim.clientSecret, RELAY_ADMIN_PASSWORD: ADMIN_PASSWORD },
  );
  processes.push(p);
  return p;
}

async function login(url: string): Promise<string> {
  const r = await fetch(`${url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  expect(r.status).toBe(200);
  return ((await r.json()) as { token: string }).token;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

describe('crash safety and secrets', () => {
  it('every key acknowledged with 201 before kill -9 works after a restart; no secret is written anywhere', async () => {
    const first = startRelay();
    const url = await first.listening;
    const token = await login(url);
    const acknowledged: string[] = [];
    const tokens = [token];
    // Errors keep being logged while keys are created: malformed frames from 3CX and bad requests.
    const faults = setInterval(() => sim.faults.sendMalformedFrame(Math.random() < 0.5 ? 'not-json' : 'wrong-shape'), 5);
    let stop = false;
    const creator = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const r = await fetch(`${url}/admin/api-keys`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ clientName: `crash-${n}-${i}`, permissions: ['read'] }),
          });
          if (r.status === 201) acknowledged.push(((await r.json()) as { apiKey: string }).apiKey);
        } catch {
          return; // the relay is gone
        }
      }
    };
    const creators = [0, 1, 2, 3].map(creator);
    await new Promise((r) => setTimeout(r, 1_500));
    first.child.kill('SIGKILL');
    stop = true;
    expect((await first.exited).signal).toBe('SIGKILL');
    clearInterval(faults);
    await Promise.all(creators);
    expect(acknowledged.length).toBeGreaterThan(10);
    // What a crash leaves on disk (WAL included) is checked too, not only the cleanly closed store.
    const afterCrash = Object.fromEntries(filesUnder(dataDir).map((f) => [`${f} (after kill -9)`, fs.readFileSync(f)]));

    const second = startRelay();
    const url2 = await second.listening;
    const refused: string[] = [];
    for (let i = 0; i < acknowledged.length; i += 25) {
      await Promise.all(acknowledged.slice(i, i + 25).map(async (key) => {
        const r = await fetch(`${url2}/relay/health`);
        expect(r.status).toBe(200);
        const t = await fetch(`${url2}/relay/ws-ticket`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
        if (t.status !== 201) refused.push(`${t.status}`);
      }));
    }
    expect(refused).toEqual([]);
    // The errors logged before the crash are in the feed.
    tokens.push(await login(url2));
    const feed = await fetch(`${url2}/admin/errors?component=callcontrol`, { headers: { authorization: `Bearer ${tokens[1]}` } });
    expect(((await feed.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const dbPassword = decodeURIComponent(new URL(testPostgres().cdrReadonlyUrl).password);
    const secrets: Record<string, string> = {
      'client secret': sim.clientSecret,
      'database password': dbPassword,
      'admin password': ADMIN_PASSWORD,
      ...Object.fromEntries(acknowledged.map((k, i) => [`api key ${i}`, k])),
      ...Object.fromEntries(tokens.map((t, i) => [`session token ${i}`, t])),
    };
    expect(dbPassword.length).toBeGreaterThan(4);
    const places: Record<string, Buffer> = {
      'stdout (run 1)': Buffer.from(first.stdout()),
      'stderr (run 1)': Buffer.from(first.stderr()),
      'stdout (run 2)': Buffer.from(second.stdout()),
      'stderr (run 2)': Buffer.from(second.stderr()),
      ...afterCrash,
      ...Object.fromEntries(filesUnder(dataDir).map((f) => [f, fs.readFileSync(f)])),
    };
    expect(Object.keys(places).some((p) => p.endsWith('.db') || p.includes('sqlite'))).toBe(true);
    // The logs did record this run (so an empty log cannot pass the check).
    expect(first.stderr()).toContain('api key created');
    const leaks: string[] = [];
    for (const [where, bytes] of Object.entries(places)) {
      for (const [what, secret] of Object.entries(secrets)) {
        if (bytes.includes(secret)) leaks.push(`${what} in ${where}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
