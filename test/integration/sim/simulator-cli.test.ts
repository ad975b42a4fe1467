// `npm run sim` runs relay/sim/cli.ts: it prints its URL and credentials,
// serves the protocol with them, and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestToken } from '../../support/sim-client.js';

const root = path.resolve(import.meta.dirname, '../../..');

describe('sim CLI', () => {
  it('prints URL and credentials, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'relay/sim/cli.ts', '--rate', '0', '--client-id', 'cli-test'], {
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
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
