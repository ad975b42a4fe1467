// The installer configuration, validated offline: electron-builder packs the
// app (`--dir`, Linux) around a placeholder Electron executable, and the test
// reads what ended up in app.asar. What needs the real Electron download
// (NSIS, dmg, AppImage, deb, the native rebuild) is listed in docs/desktop.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { checkPackage } from '../../../build/check-package.mjs';

interface PackageCheck { executable: string[]; asar: string[]; unpacked: string[]; extraResources: string[]; log: string }

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let result: PackageCheck;

beforeAll(async () => {
  result = await checkPackage();
}, 240_000);

const packages = () => new Set(result.asar.filter((f) => f.startsWith('/node_modules/')).map((f) => {
  const parts = f.split('/');
  return parts[2]!.startsWith('@') ? `${parts[2]}/${parts[3]}` : parts[2]!;
}));

describe('electron-builder --dir (offline, placeholder Electron)', () => {
  it('produces the Linux executable named in the config', () => {
    expect(result.executable).toContain('3cx-relay-companion');
  });

  it('packs the compiled main, the bundled preload and the built renderer, and nothing of our sources', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    const ours = result.asar.filter((f) => !f.startsWith('/node_modules/'));
    expect(ours).toContain(`/${pkg.main}`);
    expect(ours).toEqual(expect.arrayContaining(['/package.json', '/dist/electron/main.js', '/dist/electron/preload.cjs', '/renderer/dist/index.html']));
    expect(ours.filter((f) => /\.(map|ts|tsx)$/.test(f))).toEqual([]);
    expect(ours.filter((f) => /^\/(electron|relay|test|bench|build|docs)\//.test(f))).toEqual([]);
  });

  it('ships the runtime dependencies and none of the development tools', () => {
    const shipped = packages();
    for (const dep of ['keytar', 'better-sqlite3', 'electron-log', 'pg', 'express', 'ws', 'zod']) expect(shipped, dep).toContain(dep);
    for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', 'eslint', 'vite', 'esbuild']) expect(shipped, dev).not.toContain(dev);
  });

  it('unpacks the native modules, and bcryptjs for the hashing worker, from the asar', () => {
    expect(result.unpacked).toEqual(expect.arrayContaining([
      '/node_modules/keytar/build/Release/keytar.node',
      '/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      '/node_modules/bcryptjs/package.json',
    ]));
  });

  it('puts the app icon and the tray images (with @2x) beside the asar', () => {
    expect(result.extraResources).toEqual(expect.arrayContaining([
      '/icon.png', '/tray/tray-ok.png', '/tray/tray-ok@2x.png', '/tray/tray-degraded.png', '/tray/tray-degraded@2x.png',
      '/tray/tray-down.png', '/tray/tray-down@2x.png',
    ]));
  });
});
