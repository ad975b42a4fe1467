import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEnvFileSecretStore, createSessionSecretStore, trackSecretValues } from '../../../electron/secrets/secret-store.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secret-headless-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('headless env + 0600 file secret store', () => {
  it('reads secrets from the environment first', async () => {
    const file = path.join(dir, 'secrets.json');
    const store = createEnvFileSecretStore({ env: { RELAY_PBX_CLIENT_SECRET: 'from-env' }, filePath: file });
    await store.set('pbxClientSecret', 'from-file');
    expect(await store.get('pbxClientSecret')).toBe('from-env');
    expect(await store.get('cdrDbPassword')).toBeNull();
  });

  it('writes a file only its owner can read, atomically (no temp files left)', async () => {
    const file = path.join(dir, 'sub', 'secrets.json');
    const store = createEnvFileSecretStore({ env: {}, filePath: file });
    await store.set('cdrDbPassword', 'db-pass-1');
    await store.set('pbxClientSecret', 'client-2');
    expect(await fs.readdir(path.dirname(file))).toEqual(['secrets.json']);
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.get('cdrDbPassword')).toBe('db-pass-1');
    await store.delete('cdrDbPassword');
    expect(await store.get('cdrDbPassword')).toBeNull();
    expect(await store.get('pbxClientSecret')).toBe('client-2');
  });

  it.skipIf(process.platform === 'win32')('refuses a secrets file others can read', async () => {
    const file = path.join(dir, 'secrets.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, secrets: { pbxClientSecret: 'x' } }), { mode: 0o644 });
    await fs.chmod(file, 0o644);
    const store = createEnvFileSecretStore({ env: {}, filePath: file });
    await expect(store.get('pbxClientSecret')).rejects.toMatchObject({ code: 'secret_file_permissions' });
  });

  it('without a file: environment only, and refuses to store', async () => {
    const store = createEnvFileSecretStore({ env: { RELAY_CDR_DB_PASSWORD: 'pw' } });
    expect(store.available).toBe(false);
    expect(await store.get('cdrDbPassword')).toBe('pw');
    await expect(store.set('pbxClientSecret', 'x')).rejects.toMatchObject({ code: 'secret_store_unavailable' });
  });

  it('ignores unknown names in the file', async () => {
    const file = path.join(dir, 'secrets.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, secrets: { sessionSecret: 'x', pbxClientSecret: 7 } }), { mode: 0o600 });
    const store = createEnvFileSecretStore({ env: {}, filePath: file });
    expect(await store.get('pbxClientSecret')).toBeNull();
  });
});

describe('trackSecretValues', () => {
  it('lets the logger mask every secret read or written through the store', async () => {
    const tracked = trackSecretValues(createSessionSecretStore());
    const sink = memorySink();
    const logger = createLogger(sink, { secrets: tracked.values });
    await tracked.store.set('pbxClientSecret', 'Sup3rS3cret!');
    logger.warn('token request failed', { body: 'client_secret=Sup3rS3cret!&grant_type=client_credentials' });
    expect(JSON.stringify(sink.records)).not.toContain('Sup3rS3cret!');
    expect(tracked.store.backend).toBe('session-only');
    expect(tracked.store.available).toBe(false);
  });
});
