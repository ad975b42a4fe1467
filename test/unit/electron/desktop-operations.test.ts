import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpstreamCandidate } from '../../../electron/settings/connection-test.js';
import { createDesktopOperations, type DesktopOperationsDeps } from '../../../electron/ipc/desktop-operations.js';
import { createSettingsStore } from '../../../electron/settings/settings-store.js';
import type { ExportProgress } from '../../../relay/contract/ipc-channels.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { createSessionSecretStore } from '../../../electron/secrets/secret-store.js';
import { createTeamCredentials } from '../../../electron/team/team-credentials.js';
import { createTeamMode } from '../../../electron/team/team-mode.js';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'desktop-ops-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function setup(over: Partial<DesktopOperationsDeps> = {}) {
  const events: string[] = [];
  const reconfigured: unknown[] = [];
  const tested: UpstreamCandidate[] = [];
  const progress: ExportProgress[] = [];
  const sink = memorySink();
  const settingsFile = path.join(dir, 'settings.json');
  const secrets = createSessionSecretStore();
  let now = 0;
  const settings = createSettingsStore({ filePath: settingsFile, logger: createLogger(sink) });
  const team = createTeamMode({
    settings,
    credentials: createTeamCredentials(secrets),
    fetch: () => Promise.reject(new Error('no network in this test')),
    apply: async (mode) => void events.push(`mode:${mode.mode}`),
    logger: createLogger(sink),
  });
  const ops = createDesktopOperations({
    settings,
    team: team.operations,
    secrets,
    logger: createLogger(sink),
    relay: {
      reconfigure: async (p) => void reconfigured.push(p),
      restart: async () => {
        events.push('restart');
        return { url: 'http://127.0.0.1:9090' };
      },
      url: () => 'http://127.0.0.1:8082',
      exportCdrCsv: async (_range, out, onProgress) => {
        for (let i = 1; i <= 5; i++) {
          out.write(`row ${i}\n`);
          now += 40;
          onProgress?.({ rows: i, fraction: i / 5 });
        }
        out.end();
        return { rows: 5 };
      },
    },
    applyAutostart: async (enabled) => void events.push(`autostart:${enabled}`),
    testConnections: async (c) => {
      tested.push(c);
      return [{ component: 'xapi', ok: true, latencyMs: 3, message: 'connected in 3 ms' }];
    },
    openLogsFolder: async () => void events.push('open-logs'),
    chooseCsvPath: async (name) => path.join(dir, name),
    createOutput: (p) => fs.createWriteStream(p),
    removeFile: (p) => fsp.rm(p, { force: true }),
    sendExportProgress: (p) => void progress.push(p),
    now: () => now,
    ...over,
  });
  return { ops, settings, events, reconfigured, tested, progress, secrets, settingsFile, sink };
}

describe('desktop operations', () => {
  it('getSettings on first run: defaults, no secrets, and where secrets would go', async () => {
    const { ops } = setup();
    expect(await ops.getSettings()).toEqual({
      pbxUrl: '', clientId: '', hasClientSecret: false, cdrDbUrl: '', hasCdrPassword: false, pbxIniPath: '',
      relayPort: 8082, autostart: false, demo: false, secretStorage: 'session-only',
    });
  });

  it('the settings view says why the keychain is unavailable, when it is', async () => {
    const { ops } = setup({ keychainUnavailable: 'the optional keytar package is not installed' });
    expect(await ops.getSettings()).toMatchObject({ secretStorage: 'session-only', keychainUnavailable: 'the optional keytar package is not installed' });
    const { ops: withKeychain } = setup({ keychainUnavailable: null });
    expect(await withKeychain.getSettings()).not.toHaveProperty('keychainUnavailable');
  });

  it('saveSettings puts secrets in the SecretStore, never in the JSON, and reconfigures the relay', async () => {
    const { ops, secrets, settingsFile, reconfigured, events } = setup();
    const view = await ops.saveSettings({
      pbxUrl: 'https://pbx.example.com', clientId: 'relay', clientSecret: 'cl1ent-s3cret',
      cdrDbUrl: 'postgres://logsreader_single:db-pa55@10.0.0.5:5480/database_single',
    });
    expect(view).toMatchObject({ hasClientSecret: true, hasCdrPassword: true, cdrDbUrl: 'postgres://logsreader_single@10.0.0.5:5480/database_single' });
    const json = await fsp.readFile(settingsFile, 'utf8');
    expect(json).not.toContain('cl1ent-s3cret');
    expect(json).not.toContain('db-pa55');
    expect(await secrets.get('pbxClientSecret')).toBe('cl1ent-s3cret');
    expect(await secrets.get('cdrDbPassword')).toBe('db-pa55');
    expect(reconfigured).toEqual([{
      pbx: { baseUrl: 'https://pbx.example.com', clientId: 'relay', clientSecret: 'cl1ent-s3cret' },
      cdr: { url: 'postgres://logsreader_single:db-pa55@10.0.0.5:5480/database_single' },
    }]);
    expect(events).toEqual([]);
  });

  it('an empty secret field removes the stored secret, and the PBX becomes unconfigured', async () => {
    const { ops, secrets, reconfigured } = setup();
    await ops.saveSettings({ pbxUrl: 'https://pbx.example.com', clientId: 'relay', clientSecret: 'x-secret' });
    const view = await ops.saveSettings({ clientSecret: '' });
    expect(view.hasClientSecret).toBe(false);
    expect(await secrets.get('pbxClientSecret')).toBeNull();
    expect(reconfigured.at(-1)).toEqual({ pbx: undefined, cdr: undefined });
  });

  it('a port change restarts the relay; autostart is applied only when it changes', async () => {
    const { ops, events, reconfigured } = setup();
    await ops.saveSettings({ relayPort: 9090, autostart: true });
    await ops.saveSettings({ autostart: true });
    expect(events).toEqual(['autostart:true', 'restart']);
    expect(reconfigured).toEqual([]);
  });

  it('startDemo switches to the simulator once; saving real PBX settings leaves the demo', async () => {
    const { ops, events } = setup();
    await ops.startDemo();
    await ops.startDemo();
    expect((await ops.getSettings()).demo).toBe(true);
    expect(events).toEqual(['restart']);
    await ops.saveSettings({ pbxUrl: 'https://pbx.example.com' });
    expect((await ops.getSettings()).demo).toBe(false);
    expect(events).toEqual(['restart', 'restart']);
  });

  it('in team mode nothing starts a relay here: saving keeps the PBX settings for later, the demo is refused', async () => {
    const { ops, events, reconfigured, settings } = setup();
    await settings.save({ ...(await settings.load()), mode: 'team', teamUrl: 'https://relay.example.com:8443' });
    await ops.saveSettings({ relayPort: 9090, pbxUrl: 'https://pbx.example.com', clientSecret: 'kept-for-later' });
    expect(events).toEqual([]);
    expect(reconfigured).toEqual([]);
    expect((await ops.getSettings())).toMatchObject({ relayPort: 9090, pbxUrl: 'https://pbx.example.com', hasClientSecret: true });
    await expect(ops.startDemo()).rejects.toMatchObject({ code: 'team_mode', status: 409 });
    expect(events).toEqual([]);
  });

  it('the team operations are part of the desktop operations', async () => {
    const { ops } = setup();
    expect(await ops.clientMode()).toEqual({ mode: 'own' });
    expect(await ops.teamSettings()).toEqual({ url: '', username: null, signedIn: false });
    await expect(ops.teamRequest({ method: 'GET', path: '/admin/me' })).rejects.toMatchObject({ code: 'not_in_team_mode' });
  });

  it('testConnection tries what was typed, over what is stored, without saving', async () => {
    const { ops, tested, settingsFile } = setup();
    await ops.saveSettings({ pbxUrl: 'https://old.example.com', clientId: 'relay', clientSecret: 'stored-secret', pbxIniPath: '/etc/3cx.ini' });
    const before = await fsp.readFile(settingsFile, 'utf8');
    const results = await ops.testConnection({ pbxUrl: 'https://new.example.com' });
    expect(results).toEqual([{ component: 'xapi', ok: true, latencyMs: 3, message: 'connected in 3 ms' }]);
    expect(tested).toEqual([{
      pbx: { baseUrl: 'https://new.example.com', clientId: 'relay', clientSecret: 'stored-secret' },
      cdr: { iniPath: '/etc/3cx.ini' },
    }]);
    await ops.testConnection({ clientSecret: 'typed-secret', cdrDbUrl: 'postgres://u:typed-pw@db/x' });
    expect(tested[1]).toEqual({
      pbx: { baseUrl: 'https://old.example.com', clientId: 'relay', clientSecret: 'typed-secret' },
      cdr: { url: 'postgres://u:typed-pw@db/x' },
    });
    expect(await fsp.readFile(settingsFile, 'utf8')).toBe(before);
  });

  it('keeps ini section names across saves, one changed name at a time, and hands them to the relay', async () => {
    const { ops, tested } = setup();
    await ops.saveSettings({ pbxIniPath: '/etc/3cx.ini', pbxIniSections: { readonly: 'DbReadOnly' } });
    const view = await ops.saveSettings({ pbxIniSections: { server: 'Srv' } });
    expect(view.pbxIniSections).toEqual({ server: 'Srv', database: '', readonly: 'DbReadOnly' });
    await ops.testConnection({});
    expect(tested.at(-1)?.cdr).toEqual({ iniPath: '/etc/3cx.ini', iniSections: { server: 'Srv', readonly: 'DbReadOnly' } });
  });

  it('relayUrl answers the running URL, or relay_paused', async () => {
    expect(await setup().ops.relayUrl()).toBe('http://127.0.0.1:8082');
    const paused = setup({ relay: { reconfigure: async () => {}, restart: async () => ({ url: '' }), url: () => null, exportCdrCsv: async () => ({ rows: 0 }) } });
    await expect(paused.ops.relayUrl()).rejects.toMatchObject({ code: 'relay_paused' });
  });

  it('openLogsFolder is passed through', async () => {
    const { ops, events } = setup();
    await ops.openLogsFolder();
    expect(events).toEqual(['open-logs']);
  });

  describe('exportCdrCsv', () => {
    it('streams to the chosen file with throttled progress, ending at 100 %', async () => {
      const { ops, progress } = setup();
      const result = await ops.exportCdrCsv({ from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' });
      const file = path.join(dir, 'call-records-2026-11-01-to-2026-11-02.csv');
      expect(result).toEqual({ path: file, rows: 5 });
      expect(await fsp.readFile(file, 'utf8')).toBe('row 1\nrow 2\nrow 3\nrow 4\nrow 5\n');
      // Rows arrive every 40 ms; progress goes out at most every 100 ms, then a final 100 %.
      expect(progress).toEqual([{ rows: 1, fraction: 0.2 }, { rows: 4, fraction: 0.8 }, { rows: 5, fraction: 1 }]);
    });

    it('returns null when the person cancels the dialog', async () => {
      const { ops } = setup({ chooseCsvPath: async () => null });
      expect(await ops.exportCdrCsv({ from: '2026-11-01', to: '2026-11-02' })).toBeNull();
    });

    it('removes the partial file when the export fails', async () => {
      const { ops } = setup({
        relay: {
          reconfigure: async () => {}, restart: async () => ({ url: '' }), url: () => null,
          exportCdrCsv: async (_r, out) => {
            out.write('half a row');
            throw RelayError.upstream('the call records database went away');
          },
        },
      });
      await expect(ops.exportCdrCsv({ from: '2026-11-01', to: '2026-11-02' })).rejects.toMatchObject({ code: 'upstream_error' });
      expect(await fsp.readdir(dir)).toEqual([]);
    });
  });
});
