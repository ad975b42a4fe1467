import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsStore, DEFAULT_SETTINGS, type DesktopSettings } from '../../../electron/settings/settings-store.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'settings-'));
  file = path.join(dir, 'settings.json');
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const sample: DesktopSettings = {
  pbxUrl: 'https://pbx.example.com', clientId: 'relay', cdrDbUrl: 'postgres://logsreader_single@10.0.0.5:5480/database_single',
  pbxIniPath: '', relayPort: 9090, autostart: true, demo: false, mode: 'own', teamUrl: '', teamUsername: '',
};

describe('settings store', () => {
  it('answers defaults when there is no file yet', async () => {
    const store = createSettingsStore({ filePath: file, logger: createLogger(memorySink()) });
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toEqual({
      pbxUrl: '', clientId: '', cdrDbUrl: '', pbxIniPath: '', relayPort: 8082, autostart: false, demo: false,
      mode: 'own', teamUrl: '', teamUsername: '',
    });
  });

  it('saves and loads the same settings, atomically', async () => {
    const store = createSettingsStore({ filePath: file, logger: createLogger(memorySink()) });
    await store.save(sample);
    expect(await store.load()).toEqual(sample);
    expect(await fs.readdir(dir)).toEqual(['settings.json']);
  });

  it('sets an unreadable file aside and starts from defaults', async () => {
    await fs.writeFile(file, '{"pbxUrl": "https://pbx.exa');
    const sink = memorySink();
    const store = createSettingsStore({ filePath: file, logger: createLogger(sink), now: () => 1234 });
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
    expect(await fs.readdir(dir)).toEqual(['settings.json.corrupt-1234']);
    expect(await fs.readFile(path.join(dir, 'settings.json.corrupt-1234'), 'utf8')).toBe('{"pbxUrl": "https://pbx.exa');
    expect(sink.records[0]).toMatchObject({ level: 'warn', msg: 'settings file was unreadable; started from defaults' });
  });

  it.each([['null'], ['[1,2]'], ['"text"']])('treats %s as unreadable', async (content) => {
    await fs.writeFile(file, content);
    const store = createSettingsStore({ filePath: file, logger: createLogger(memorySink()), now: () => 1 });
    expect(await store.load()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps valid fields when one field is bad, and drops unknown keys', async () => {
    await fs.writeFile(file, JSON.stringify({ ...sample, relayPort: 'eighty', autostart: 'yes', clientSecret: 'must-not-be-here' }));
    const store = createSettingsStore({ filePath: file, logger: createLogger(memorySink()) });
    const loaded = await store.load();
    expect(loaded).toEqual({ ...sample, relayPort: 8082, autostart: false });
    expect(loaded).not.toHaveProperty('clientSecret');
    await store.save(loaded);
    expect(await fs.readFile(file, 'utf8')).not.toContain('must-not-be-here');
  });

  it('never writes a database password into the file', async () => {
    const store = createSettingsStore({ filePath: file, logger: createLogger(memorySink()) });
    await expect(store.save({ ...sample, cdrDbUrl: 'postgres://u:hunter22@db/x' })).rejects.toThrow(/refusing/);
    await expect(fs.readdir(dir)).resolves.toEqual([]);
  });

  it('ignores a hand-edited database URL that carries a password', async () => {
    await fs.writeFile(file, JSON.stringify({ ...sample, cdrDbUrl: 'postgres://u:hunter22@db/x' }));
    const sink = memorySink();
    const store = createSettingsStore({ filePath: file, logger: createLogger(sink) });
    expect((await store.load()).cdrDbUrl).toBe('');
    expect(JSON.stringify(sink.records)).not.toContain('hunter22');
  });
});
