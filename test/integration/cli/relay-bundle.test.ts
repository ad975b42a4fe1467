// `npm run relay` runs the esbuild bundle (build/prepare-relay.mjs), not the
// sources: the bundle must find package.json and the built dashboard from
// its own place in a package (dist/relay/cli.mjs), whatever the working
// directory. Built here into a throwaway package whose node_modules links to
// ours, so the repository's dist/ is left alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRelay, relayStaleReason } from '../../../build/prepare-relay.mjs';
import { REPO_ROOT, spawnRelay } from '../../support/relay-process.js';

let pkg: string;
let outfile: string;
beforeAll(async () => {
  pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-bundle-'));
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'bundle-test', version: '9.8.7-bundle', type: 'module' }));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  fs.mkdirSync(path.join(pkg, 'renderer/dist'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'renderer/dist/index.html'), '<!doctype html><title>bundle dashboard</title>');
  outfile = await buildRelay({ outfile: path.join(pkg, 'dist/relay/cli.mjs') });
}, 60_000);
afterAll(() => fs.rmSync(pkg, { recursive: true, force: true }));

describe('the bundled relay (dist/relay/cli.mjs)', () => {
  it('is current right after the build, and stale once a source it was built from changes', () => {
    expect(relayStaleReason({ outfile })).toBeNull();
    // Older than every source, as if they were all edited after the build.
    fs.utimesSync(outfile, new Date(1_000), new Date(1_000));
    expect(relayStaleReason({ outfile })).toMatch(/^relay\/.+ changed since the last build$/);
  });

  it('started from another directory, reports its package version and serves the dashboard beside it', async () => {
    const dataDir = path.join(pkg, 'data');
    const relay = spawnRelay(['--port', '0', '--data-dir', dataDir], { RELAY_ADMIN_PASSWORD: 'bundle-admin-pw' }, {
      entry: ['--enable-source-maps', outfile],
      cwd: os.tmpdir(),
    });
    try {
      const url = await relay.listening;
      const health = (await (await fetch(`${url}/relay/health`)).json()) as { version: string };
      expect(health.version).toBe('9.8.7-bundle');
      const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('bundle dashboard');
      // bcrypt runs in a worker thread started from an inline source that
      // loads bcryptjs from the bundle's node_modules: a login proves it works here.
      const login = (password: string) => fetch(`${url}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect((await login('bundle-admin-pw')).status).toBe(200);
      expect((await login('not-the-admin-pw')).status).toBe(401);
    } finally {
      relay.child.kill('SIGTERM');
      expect((await relay.exited).code).toBe(0);
    }
  });
});
