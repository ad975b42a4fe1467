import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appPaths } from '../../../electron/app/app-paths.js';
import { applyAutostart, linuxAutostartEntry, quoteExecArg } from '../../../electron/settings/autostart.js';
import { reconfigurationFrom, relayConfigFrom, splitDbUrlPassword, upstreamsFrom, withDbPassword } from '../../../electron/settings/relay-config.js';
import { DEFAULT_SETTINGS } from '../../../electron/settings/settings-store.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'autostart-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('autostart', () => {
  const base = { configHome: '', executable: '/opt/3CX Relay/relay', desktopFileName: 'relay.desktop', productName: '3CX Relay Companion' };

  it('uses the login-item API on Windows and macOS, starting hidden', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const calls: unknown[] = [];
      await applyAutostart(true, { ...base, platform, app: { setLoginItemSettings: (s) => calls.push(s) } });
      await applyAutostart(false, { ...base, platform, app: { setLoginItemSettings: (s) => calls.push(s) } });
      expect(calls).toEqual([
        { openAtLogin: true, openAsHidden: true, args: ['--hidden'] },
        { openAtLogin: false, openAsHidden: true, args: ['--hidden'] },
      ]);
    }
  });

  it('writes and removes an XDG autostart entry on Linux', async () => {
    const deps = { ...base, configHome: dir, platform: 'linux' as const, app: { setLoginItemSettings: () => { throw new Error('not on Linux'); } } };
    await applyAutostart(true, deps);
    const file = path.join(dir, 'autostart', 'relay.desktop');
    expect(await fs.readFile(file, 'utf8')).toBe(linuxAutostartEntry(base));
    expect(linuxAutostartEntry(base)).toContain('Exec="/opt/3CX Relay/relay" --hidden');
    await applyAutostart(false, deps);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await applyAutostart(false, deps); // already off: no error
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(quoteExecArg('/a/b"c$d`e\\f')).toBe('"/a/b\\"c\\$d\\`e\\\\f"');
  });
});

describe('settings -> relay config', () => {
  it('splits a password out of a postgres URL and puts it back', () => {
    expect(splitDbUrlPassword('postgres://reader:p%40ss@db:5480/x')).toEqual({ url: 'postgres://reader@db:5480/x', password: 'p@ss' });
    expect(splitDbUrlPassword('postgres://reader@db/x')).toEqual({ url: 'postgres://reader@db/x', password: null });
    expect(withDbPassword('postgres://reader@db:5480/x', 'p@ss')).toBe('postgres://reader:p%40ss@db:5480/x');
    expect(withDbPassword('postgres://db/x', 'pw')).toBe('postgres://db/x');
  });

  it('leaves a component unconfigured until all its parts are there', () => {
    const s = { ...DEFAULT_SETTINGS, pbxUrl: 'https://pbx.example.com', clientId: 'relay' };
    expect(upstreamsFrom(s, { pbxClientSecret: null, cdrDbPassword: null })).toEqual({ pbx: null, cdr: null });
    expect(upstreamsFrom(s, { pbxClientSecret: 'x', cdrDbPassword: null }).pbx).toEqual({ baseUrl: 'https://pbx.example.com', clientId: 'relay', clientSecret: 'x' });
    expect(upstreamsFrom({ ...s, pbxIniPath: '/etc/3cx.ini' }, { pbxClientSecret: null, cdrDbPassword: null }).cdr).toEqual({ iniPath: '/etc/3cx.ini' });
    // Only changed section names are passed on; empty ones keep 3CX's defaults.
    expect(upstreamsFrom({ ...s, pbxIniPath: '/etc/3cx.ini', pbxIniSections: { server: '', database: 'QM', readonly: '' } }, { pbxClientSecret: null, cdrDbPassword: null }).cdr)
      .toEqual({ iniPath: '/etc/3cx.ini', iniSections: { database: 'QM' } });
    // A URL wins over the ini file.
    expect(upstreamsFrom({ ...s, pbxIniPath: '/etc/3cx.ini', cdrDbUrl: 'postgres://r@db/x' }, { pbxClientSecret: null, cdrDbPassword: 'pw' }).cdr)
      .toEqual({ url: 'postgres://r:pw@db/x' });
    expect(reconfigurationFrom({ pbx: null, cdr: null })).toEqual({ pbx: undefined, cdr: undefined });
  });

  it('the desktop relay listens on loopback only, on the chosen port', () => {
    const config = relayConfigFrom({ ...DEFAULT_SETTINGS, relayPort: 9100 }, { pbx: null, cdr: { iniPath: '/x.ini' } }, { dataDir: '/data', dashboardDir: '/app/renderer/dist', version: '1.2.3' });
    expect(config).toEqual({
      host: '127.0.0.1', port: 9100, dataDir: '/data', dashboardDir: '/app/renderer/dist', version: '1.2.3',
      allowedOrigins: [], allowedHostNames: [], cdr: { iniPath: '/x.ini' },
    });
  });
});

describe('app paths', () => {
  it('finds bundles in the app and tray images in resources (outside the asar when packaged)', () => {
    const dev = appPaths({ appRoot: '/src/app', userData: '/home/u/.config/relay', isPackaged: false, resourcesPath: '/ignored' });
    expect(dev).toMatchObject({
      preload: '/src/app/dist/electron/preload.cjs', rendererDir: '/src/app/renderer/dist', trayIconDir: '/src/app/resources/tray',
      settingsFile: '/home/u/.config/relay/settings.json', logsDir: '/home/u/.config/relay/logs',
    });
    const packaged = appPaths({ appRoot: '/opt/relay/resources/app.asar', userData: '/u', isPackaged: true, resourcesPath: '/opt/relay/resources' });
    expect(packaged.trayIconDir).toBe('/opt/relay/resources/tray');
    expect(packaged.preload).toBe('/opt/relay/resources/app.asar/dist/electron/preload.cjs');
  });
});
