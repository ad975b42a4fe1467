// Builds the dashboard once for the e2e run, only when renderer/dist is
// missing or older than any renderer or contract source.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const DIST_INDEX = path.join(REPO_ROOT, 'renderer/dist/index.html');

function newestMtime(dir: string, skip: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full, skip) : statSync(full).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

export async function ensureRendererBuilt(): Promise<void> {
  const sources = Math.max(
    newestMtime(path.join(REPO_ROOT, 'renderer'), (name) => name === 'dist'),
    newestMtime(path.join(REPO_ROOT, 'relay/contract'), () => false),
  );
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  await run(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    timeout: 120_000,
  });
}
