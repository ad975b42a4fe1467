// Compiles the Electron main process and bundles the preload.
// - main: one ESM file; npm packages stay external (loaded from node_modules,
//   native ones rebuilt for Electron by electron-builder).
// - preload: one self-contained CommonJS file, because a sandboxed preload
//   can `require` only a handful of Electron/Node modules, not our own files.
import process from 'node:process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const defaultOutdir = path.join(root, 'dist', 'electron');

/** Electron 41 ships Node 22 and Chromium 146. */
const common = { absWorkingDir: root, bundle: true, sourcemap: true, logLevel: 'warning', legalComments: 'none' };

export async function buildElectron({ outdir = defaultOutdir } = {}) {
  await Promise.all([
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: path.join(outdir, 'main.js'),
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: ['electron/preload.ts'],
      outfile: path.join(outdir, 'preload.cjs'),
      platform: 'node',
      format: 'cjs',
      target: 'chrome146',
      external: ['electron'],
    }),
  ]);
  return { main: path.join(outdir, 'main.js'), preload: path.join(outdir, 'preload.cjs') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildElectron();
  process.stdout.write(`built ${path.relative(root, out.main)} and ${path.relative(root, out.preload)}\n`);
}
