// `npm run relay` as a process: the exact listening line, the one-time admin
// password, clean stop on SIGTERM/SIGINT within 5 s with exit code 0, and
// clear refusals of bad settings.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.js';

const running: RelayProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-cli-'));
  dirs.push(d);
  return d;
};
const start = (args: string[], env: Record<string, string> = {}) => {
  const p = spawnRelay(args, env);
  running.push(p);
  return p;
};

describe('npm run relay', () => {
  it('prints exactly `relay listening on http://HOST:PORT` and the one-time admin password, serves, and stops on SIGTERM with 0 within 5 s', async () => {
    const dataDir = tmp();
    const p = start(['--port', '0', '--data-dir', dataDir]);
    const url = await p.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.stdout().split('\n')[0]).toBe(`relay listening on ${url}`);
    const password = /one-time password (\S+)/.exec(p.stdout())?.[1];
    expect(password).toBeTruthy();
    const health = await fetch(`${url}/relay/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'down', components: { xapi: { state: 'unconfigured' } } });
    const login = await fetch(`${url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect(login.status).toBe(200);
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(p.stderr()).not.toContain(password!);

    // Second start on the same data: no new password is generated or printed.
    const again = start(['--port', '0', '--data-dir', dataDir]);
    await again.listening;
    expect(again.stdout()).not.toMatch(/password/);
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  });

  it('lets a request in flight finish during the stop', async () => {
    const p = start(['--port', '0', '--data-dir', tmp()], { RELAY_ADMIN_PASSWORD: 'a long admin password' });
    const url = await p.listening;
    // bcrypt at production cost makes the login take a moment: stop while it runs.
    const login = fetch(`${url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'a long admin password' }) });
    await new Promise((r) => setTimeout(r, 30));
    p.child.kill('SIGTERM');
    expect((await login).status).toBe(200);
    expect((await p.exited).code).toBe(0);
  });

  it('refuses bad settings with a message naming them (exit 2)', async () => {
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--port', 'eighty'], {}, /--port: "eighty" is not a port/],
      [['--client-secret', 'x'], {}, /RELAY_PBX_CLIENT_SECRET environment variable/],
      [['--pbx-url', 'http://pbx.example.com', '--client-id', 'x'], { RELAY_PBX_CLIENT_SECRET: 'abcd' }, /only for a loopback simulator/],
      [['--bogus'], {}, /--help/],
      [[], { RELAY_PORT: '-1' }, /RELAY_PORT/],
    ];
    for (const [args, env, message] of cases) {
      const p = start(args, env);
      const { code } = await p.exited;
      expect(code, args.join(' ')).toBe(2);
      expect(p.stderr()).toMatch(message);
    }
  });

  it('warns when listening on a non-loopback address', async () => {
    const p = start(['--port', '0', '--host', '0.0.0.0', '--trust-proxy', '--allow-host', 'relay.test', '--allow-origin', 'https://relay.test', '--data-dir', tmp()]);
    await p.listening;
    expect(p.stderr()).toMatch(/warning: listening on 0\.0\.0\.0, which is not a loopback address/);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });
});
