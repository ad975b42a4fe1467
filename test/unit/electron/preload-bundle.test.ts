// The preload that ships: built by the real build script, then run the way a
// sandboxed preload runs — CommonJS with a `require` that knows only
// 'electron'. It must load, require nothing else, and expose exactly
// `relayDesktop` with the bridge's members.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { buildElectron } from '../../../build/build-electron.mjs';

let outdir: string;
let built: { main: string; preload: string };
beforeAll(async () => {
  outdir = await fs.mkdtemp(path.join(os.tmpdir(), 'electron-build-'));
  built = await buildElectron({ outdir });
}, 30_000);
afterAll(async () => {
  await fs.rm(outdir, { recursive: true, force: true });
});

describe('built preload bundle', () => {
  it('runs with only `electron` available and exposes exactly relayDesktop', async () => {
    const code = await fs.readFile(built.preload, 'utf8');
    const required: string[] = [];
    const exposed = new Map<string, Record<string, unknown>>();
    const invoked: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (channel: string) => {
          invoked.push(channel);
          return { ok: true, value: 'pong' };
        },
        on() {},
        removeListener() {},
      },
    };
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`module not found: ${id}`);
      return electron;
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, Promise, Set, Map, Object, String });

    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['relayDesktop']);
    const bridge = exposed.get('relayDesktop')!;
    expect(Object.keys(bridge).sort()).toEqual(['desktop', 'invoke', 'onExportProgress', 'onFrame', 'onNavigate']);
    await expect((bridge.invoke as (op: string) => Promise<unknown>)('health')).resolves.toBe('pong');
    expect(invoked).toEqual(['relay:health']);
  });

  it('the main bundle is ESM and keeps npm packages and electron external', async () => {
    const code = await fs.readFile(built.main, 'utf8');
    expect(code).toMatch(/ from "electron";$/m);
    expect(code).toMatch(/from "electron-log\/node"/);
    expect(code).not.toMatch(/\brequire\("electron"\)/);
    // Our own modules are bundled in, not imported by path.
    expect(code).not.toMatch(/from "\.\.?\//);
  });
});
