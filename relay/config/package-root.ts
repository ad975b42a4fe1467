// Files that ship beside the code (package.json, the built dashboard) are
// found from the package root, not from a fixed `../` relative to one source
// file: the relay runs from relay/*.ts (tsx), bundled as dist/relay/cli.mjs,
// and inside the Electron bundle, each at a different depth.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `from` (a module URL or a path) holding a package.json; `fallback` when there is none. */
export function findPackageRoot(from: string | URL, fallback: string = process.cwd()): string {
  const start = typeof from === 'string' && !from.startsWith('file:') ? from : fileURLToPath(from);
  let dir = fs.existsSync(start) && fs.statSync(start).isDirectory() ? start : path.dirname(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return fallback;
    dir = parent;
  }
}

/** The package's version from its package.json, or '0.0.0' when it cannot be read. */
export function packageVersion(root: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The built dashboard (renderer/dist with an index.html) under the first of `roots` that has one. */
export function findDashboardDir(roots: readonly string[]): string | undefined {
  for (const root of roots) {
    const dir = path.join(root, 'renderer', 'dist');
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}
