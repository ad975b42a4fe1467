// `prerelay`: what `npm run relay` needs on a fresh clone, built only when
// stale, so a second start costs a few stat calls.
// - the dashboard (renderer/dist) with Vite, when it is missing or older than
//   any file under renderer/ or relay/contract/ (the renderer's only imports);
// - the headless relay bundled into dist/relay/cli.mjs with esbuild, so
//   starting it does not pay for compiling TypeScript on every run (issue 6:
//   time to `relay listening` < 1 s). Its pure-JS packages go into the bundle
//   too: resolving and loading ~800 small files from node_modules took ~200 ms
//   of a ~450 ms module load. Its staleness is judged by the inputs esbuild
//   itself recorded in the metafile.
// esbuild and Vite are imported only when something has to be built.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');
const rendererDir = path.join(root, 'renderer');
const rendererIndex = path.join(rendererDir, 'dist', 'index.html');
const relayOutfile = path.join(root, 'dist', 'relay', 'cli.mjs');
const metafileFor = (outfile) => outfile.replace(/\.mjs$/, '.inputs.json');

const mtime = (file) => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
};

/** Newest modification time of any file under `dir`, skipping build output and installed packages. */
function newestUnder(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : (mtime(full) ?? 0));
  }
  return newest;
}

/** Why the dashboard must be built, or null when renderer/dist is current. */
export function rendererStaleReason() {
  const built = mtime(rendererIndex);
  if (built === null) return 'renderer/dist is missing';
  const sources = Math.max(newestUnder(rendererDir), newestUnder(path.join(root, 'relay', 'contract')));
  return sources > built ? 'renderer/ or relay/contract/ changed since the last build' : null;
}

/** Why the relay bundle must be rebuilt, or null when every input esbuild read is older than it. */
export function relayStaleReason({ outfile = relayOutfile } = {}) {
  const built = mtime(outfile);
  if (built === null) return `${path.relative(root, outfile)} is missing`;
  let inputs;
  try {
    inputs = JSON.parse(fs.readFileSync(metafileFor(outfile), 'utf8')).inputs;
  } catch {
    return 'its list of inputs is missing';
  }
  // A deleted input or one changed after the build; this script's own
  // options count as an input too.
  for (const input of [...inputs.map((i) => path.join(root, i)), self]) {
    const m = mtime(input);
    if (m === null || m > built) return `${path.relative(root, input)} changed since the last build`;
  }
  return null;
}

/** Builds the dashboard into renderer/dist with the renderer's Vite config. */
export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: path.join(rendererDir, 'vite.config.ts'), logLevel: 'warn' });
}

const RELAY_EXTERNAL = [
  'better-sqlite3', 'keytar', 'pg-native', 'bufferutil', 'utf-8-validate',
  '@electric-sql/pglite', '@electric-sql/pglite-socket', 'bcryptjs',
];

/** Bundles relay/cli.ts into `outfile` (default dist/relay/cli.mjs) and records which files went into it. */
export async function buildRelay({ outfile = relayOutfile } = {}) {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['relay/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons, optional native speed-ups, packages that load files
    // next to their own code (PGlite's wasm), and bcryptjs, which the
    // password worker loads by path, stay in node_modules.
    external: RELAY_EXTERNAL,
    // Bundled CommonJS packages call require() for Node's built-ins.
    banner: { js: "import { createRequire as __relayCreateRequire } from 'node:module'; const require = __relayCreateRequire(import.meta.url);" },
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // Bundled packages' licence notices go to cli.mjs.LEGAL.txt.
    legalComments: 'linked',
  });
  fs.writeFileSync(metafileFor(outfile), JSON.stringify({ inputs: Object.keys(result.metafile.inputs) }));
  return outfile;
}

export async function prepareRelay(say = (line) => process.stdout.write(`${line}\n`)) {
  const renderer = rendererStaleReason();
  if (renderer) {
    say(`prepare: building the dashboard (${renderer})`);
    await buildRenderer();
  }
  const relay = relayStaleReason();
  if (relay) {
    say(`prepare: bundling the relay into dist/relay/cli.mjs (${relay})`);
    await buildRelay();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  try {
    await prepareRelay();
  } catch (e) {
    process.stderr.write(`prepare: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
