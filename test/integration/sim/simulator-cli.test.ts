// `npm run sim` runs relay/sim/cli.ts: it prints its URL and credentials,
// serves the protocol with them, and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestToken } from '../../support/sim-client.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('sim CLI', () => {
  it('prints URL and credentials, serves the --pbx-version given, and exits 0 on SIGTERM', async () => {
    const args = ['--rate', '0', '--client-id', 'cli-test', '--pbx-version', '20.0.9.2000', '--monitor', '105,106'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/sim/cli.ts', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
        child.stdout.on('data', () => {
          if (/client secret: \S+/.test(out)) {
            clearTimeout(t);
            resolve();
          }
        });
        child.once('exit', () => reject(new Error(`exited early: ${out}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const clientId = /client id:\s+(\S+)/.exec(out)?.[1];
      const clientSecret = /client secret:\s+(\S+)/.exec(out)?.[1];
      expect(url).toBeDefined();
      expect(clientId).toBe('cli-test');
      const token = await requestToken({ url: url!, clientId: clientId!, clientSecret: clientSecret! });
      expect(token.status).toBe(200);
      // 20.0.9 states expires_in in seconds.
      expect(token.body.expires_in).toBe(3600);
      expect(out).toMatch(/3CX version:\s+20\.0\.9\.2000/);
      const cc = await fetch(`${url!}/callcontrol`, { headers: { authorization: `Bearer ${String(token.body.access_token)}` } });
      expect(((await cc.json()) as Array<{ dn: string }>).map((d) => d.dn)).toEqual(['cli-test', '105', '106']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
