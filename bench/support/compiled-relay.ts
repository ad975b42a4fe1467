// The relay compiled to one JavaScript file (esbuild, npm packages left
// external), as a packaged app runs it: start-up then measures the relay and
// not the TypeScript loader. Written to dist/ (git-ignored) directly, so the
// relay's paths relative to its own file (../package.json,
// ../renderer/dist) resolve as they do from relay/.
import { build } from 'esbuild';
import path from 'node:path';
import { REPO_ROOT } from './child-process.js';

export async function buildCompiledRelay(): Promise<string> {
  const outfile = path.join(REPO_ROOT, 'dist', 'relay-cli.bench.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'relay', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}
