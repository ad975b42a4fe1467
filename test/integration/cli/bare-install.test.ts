// A bare Debian 12 machine (Node 20 and npm, no libsecret-1-dev) must be able
// to run the README's first command. keytar, the only package that compiles
// against libsecret, is therefore an optional dependency: npm drops it when
// its build fails instead of failing the install, and nothing but the desktop
// app's lazy loader ever asks for it.
//
// The full check takes minutes (it downloads every package), so it is not run
// here; run it by hand after touching package.json or package-lock.json:
//   rm -rf /tmp/lockcheck && mkdir /tmp/lockcheck && cp package.json package-lock.json /tmp/lockcheck/
//   cd /tmp/lockcheck && PKG_CONFIG_LIBDIR=/nonexistent ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci && npm ls
// (`npm ci --omit=optional` is no such test: it also drops the native
// bindings of the build tools.) This test checks the shape that makes it pass.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/relay-process.js';

interface LockEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const packages = lock.packages;

/** Where Node would find `name` required from the package at `from` (nearest node_modules upwards). */
function resolve(from: string, name: string): string | null {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return null;
    const i = base.lastIndexOf('node_modules/');
    base = i > 0 ? base.slice(0, i - 1) : '';
  }
}

/** Every package reachable from `starts`, following dependencies (optional edges only if asked). */
function closure(starts: string[], { optionalEdges }: { optionalEdges: boolean }): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const e = packages[at]!;
    const names = [
      ...Object.keys(e.dependencies ?? {}),
      ...Object.keys(e.peerDependencies ?? {}).filter((n) => optionalEdges || !e.peerDependenciesMeta?.[n]?.optional),
      ...(optionalEdges ? Object.keys(e.optionalDependencies ?? {}) : []),
    ];
    for (const n of names) {
      const r = resolve(at, n);
      if (r) stack.push(r);
    }
  }
  return seen;
}

const roots = (deps: Record<string, string> | undefined) => Object.keys(deps ?? {}).map((n) => resolve('', n)).filter((r): r is string => r !== null);

describe('keytar is optional, so a machine without libsecret installs', () => {
  it('package.json lists keytar under optionalDependencies only, and still lets its install script run', () => {
    expect(pkg.dependencies).not.toHaveProperty('keytar');
    expect(pkg.optionalDependencies).toHaveProperty('keytar');
    // Where libsecret exists, its build script must run (the desktop app's keychain).
    expect(pkg.allowScripts?.keytar).toBe(true);
  });

  it('the lockfile agrees: keytar optional at the root, and every package only keytar needs is marked optional', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = packages['']!;
    expect(root.dependencies).not.toHaveProperty('keytar');
    expect(root.optionalDependencies?.keytar).toBe(pkg.optionalDependencies?.keytar);

    const required = closure([...roots(root.dependencies), ...roots(root.devDependencies)], { optionalEdges: false });
    const viaKeytar = closure(['node_modules/keytar'], { optionalEdges: true });
    const exclusive = [...viaKeytar].filter((p) => !required.has(p));
    expect(exclusive).toContain('node_modules/keytar');
    // npm ci would otherwise fail on these when keytar's build fails.
    for (const p of exclusive) expect(packages[p]!.optional || packages[p]!.devOptional, p).toBe(true);
    // ...and what the rest of the tree needs (prebuild-install, shared with better-sqlite3) stays required.
    for (const p of [...viaKeytar].filter((x) => required.has(x))) expect(packages[p]!.optional, p).not.toBe(true);
  });

  it('every package with an install script has an allowScripts entry (npm 12 skips the rest silently)', () => {
    const withScripts = Object.entries(packages).filter(([at, e]) => at && (e as { hasInstallScript?: boolean }).hasInstallScript)
      .map(([at]) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts).toContain('keytar');
    for (const name of withScripts) expect(pkg.allowScripts, name).toHaveProperty([name]);
  });

  it('no package that the install needs depends on keytar other than optionally', () => {
    for (const [at, e] of Object.entries(packages)) {
      expect(Object.keys(e.dependencies ?? {}), at || 'the root').not.toContain('keytar');
    }
  });
});

/** The bare package names a bundle of `entry` imports (packages stay external, as in the real builds). */
async function importedPackages(entry: string): Promise<{ packages: string[]; sources: string[] }> {
  const result = await build({
    absWorkingDir: REPO_ROOT, entryPoints: [entry], bundle: true, write: false, metafile: true,
    platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent', outdir: 'out',
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
  return { packages: imports, sources: Object.keys(result.metafile.inputs) };
}

describe('only the desktop app asks for keytar, and only lazily', () => {
  it('the headless relay (relay/cli.ts) never imports keytar nor the desktop secret stores', async () => {
    const { packages: imported, sources } = await importedPackages('relay/cli.ts');
    expect(imported.filter((p) => /^keytar(\/|$)/.test(p))).toEqual([]);
    expect(sources.filter((s) => s.startsWith('electron/'))).toEqual([]);
  }, 60_000);

  it('the Electron main process has no static keytar import: a missing keytar cannot stop it from loading', async () => {
    const { packages: imported, sources } = await importedPackages('electron/main.ts');
    expect(sources).toContain('electron/secrets/load-keytar.ts');
    expect(imported.filter((p) => /^keytar(\/|$)/.test(p))).toEqual([]);
  }, 60_000);
});
