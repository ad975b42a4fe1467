import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findDashboardDir, findPackageRoot, packageVersion } from '../../../relay/config/package-root.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
/** A package folder with dist/relay/cli.mjs and relay/cli.ts, as the relay runs from either. */
function fakePackage(version: unknown = '4.5.6'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pkg-root-'));
  dirs.push(root);
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'x', version }));
  for (const f of ['dist/relay/cli.mjs', 'relay/cli.ts']) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), '');
  }
  return root;
}

describe('findPackageRoot', () => {
  it('finds the same root from the sources and from the bundle, whatever their depth', () => {
    const root = fakePackage();
    expect(findPackageRoot(pathToFileURL(path.join(root, 'relay/cli.ts')).href)).toBe(root);
    expect(findPackageRoot(pathToFileURL(path.join(root, 'dist/relay/cli.mjs')))).toBe(root);
    expect(findPackageRoot(path.join(root, 'dist/relay'))).toBe(root);
  });

  it('falls back when no package.json is above the module', () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'no-pkg-'));
    dirs.push(bare);
    expect(findPackageRoot(path.join(bare, 'cli.mjs'), '/fallback')).toBe('/fallback');
  });
});

describe('packageVersion', () => {
  it('reads the version, and says 0.0.0 when there is none to read', () => {
    expect(packageVersion(fakePackage('4.5.6'))).toBe('4.5.6');
    expect(packageVersion(fakePackage(7))).toBe('0.0.0');
    expect(packageVersion(path.join(os.tmpdir(), 'does-not-exist-pkg'))).toBe('0.0.0');
  });
});

describe('findDashboardDir', () => {
  it('takes the first root with a built renderer/dist/index.html', () => {
    const empty = fakePackage();
    const built = fakePackage();
    fs.mkdirSync(path.join(built, 'renderer/dist'), { recursive: true });
    fs.writeFileSync(path.join(built, 'renderer/dist/index.html'), '<!doctype html>');
    expect(findDashboardDir([empty, built])).toBe(path.join(built, 'renderer/dist'));
    expect(findDashboardDir([empty])).toBeUndefined();
  });
});
