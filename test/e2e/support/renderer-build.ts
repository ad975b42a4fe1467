// Builds the dashboard once for the e2e run, only when renderer/dist is
// missing or older than any renderer or contract source (the same rule as
// `npm run relay`'s build/prepare-relay.mjs). The build runs in its own
// process, away from the test runner's own Vite.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { rendererStaleReason } from '../../../build/prepare-relay.mjs';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');

export async function ensureRendererBuilt(): Promise<void> {
  if (!rendererStaleReason()) return;
  await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    timeout: 120_000,
  });
}
