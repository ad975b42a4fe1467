// Offline check of the installer configuration (`npm run dist:check`).
// Electron cannot be downloaded here, so electron-builder packs the app
// "--dir" around a placeholder `electron` executable: enough to prove the
// config loads and to see exactly which files end up in the package. The
// real installers (NSIS, dmg, AppImage, deb) need the Electron download: see
// docs/desktop.md.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron } from './build-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every file path in an asar archive (its header is a JSON tree after a 16-byte pickle prefix). */
export function listAsar(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const prefix = Buffer.alloc(16);
    fs.readSync(fd, prefix, 0, 16, 0);
    const jsonLength = prefix.readUInt32LE(12);
    const json = Buffer.alloc(jsonLength);
    fs.readSync(fd, json, 0, jsonLength, 16);
    const out = [];
    const walk = (node, prefixPath) => {
      for (const [name, child] of Object.entries(node.files ?? {})) {
        const p = `${prefixPath}/${name}`;
        if (child.files) walk(child, p);
        else out.push(p);
      }
    };
    walk(JSON.parse(json.toString('utf8')), '');
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function listDir(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listDir(p, base) : [`/${path.relative(base, p).split(path.sep).join('/')}`];
  });
}

export async function checkPackage({ keep = false } = {}) {
  if (!fs.existsSync(path.join(root, 'renderer', 'dist', 'index.html'))) {
    const vite = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts'], { cwd: root, encoding: 'utf8' });
    if (vite.status !== 0) throw new Error(`renderer build failed:\n${vite.stdout}\n${vite.stderr}`);
  }
  await buildElectron();

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-dist-check-'));
  try {
    const electronDist = path.join(work, 'electron-dist');
    fs.mkdirSync(electronDist);
    fs.writeFileSync(path.join(electronDist, 'electron'), '#!/bin/sh\necho placeholder electron >&2\nexit 1\n', { mode: 0o755 });
    const output = path.join(work, 'out');
    const cli = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
    const run = spawnSync(process.execPath, [
      cli, '--config', 'build/electron-builder.yml', '--dir', '--linux', '--x64',
      `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`,
    ], { cwd: root, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CI: '1' } });
    if (run.status !== 0) throw new Error(`electron-builder --dir failed:\n${run.stdout}\n${run.stderr}`);

    const unpacked = path.join(output, 'linux-unpacked');
    const resources = path.join(unpacked, 'resources');
    const asar = listAsar(path.join(resources, 'app.asar'));
    return {
      executable: fs.readdirSync(unpacked).filter((f) => f !== 'resources'),
      asar,
      unpacked: listDir(path.join(resources, 'app.asar.unpacked')),
      extraResources: listDir(resources).filter((f) => !f.startsWith('/app.asar')),
      log: `${run.stdout}${run.stderr}`,
    };
  } finally {
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await checkPackage();
  const ours = result.asar.filter((f) => !f.startsWith('/node_modules/'));
  const modules = new Set(result.asar.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/').slice(2, f.split('/')[2].startsWith('@') ? 4 : 3).join('/')));
  process.stdout.write(`app.asar: ${ours.length} app files, ${modules.size} packages\n${ours.map((f) => `  ${f}`).join('\n')}\n`);
  process.stdout.write(`unpacked native modules: ${result.unpacked.filter((f) => f.endsWith('.node')).join(', ')}\n`);
  process.stdout.write(`extra resources: ${result.extraResources.join(', ')}\n`);
}
