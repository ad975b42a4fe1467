import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseSecretStore, pickSecretBackend } from '../../../electron/secrets/choose-secret-store.js';
import { createKeytarSecretStore, probeKeytar, type KeytarLike } from '../../../electron/secrets/keytar-secret-store.js';
import { createSafeStorageSecretStore, safeStorageProtects, type SafeStorageLike } from '../../../electron/secrets/safe-storage-secret-store.js';
import { createLogger, memorySink, silentLogger } from '../../../relay/core/logger.js';

/** A keychain in memory; `locked` answers null to every read, as keytar does with a locked keyring. */
class FakeKeychain implements KeytarLike {
  readonly items = new Map<string, string>();
  constructor(private readonly mode: 'open' | 'locked' | 'throws' = 'open') {}
  async getPassword(service: string, account: string) {
    if (this.mode === 'throws') throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    return this.mode === 'locked' ? null : this.items.get(`${service}/${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string) {
    if (this.mode === 'throws') throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    this.items.set(`${service}/${account}`, password);
  }
  async deletePassword(service: string, account: string) {
    return this.items.delete(`${service}/${account}`);
  }
}

/** Reversible stand-in for safeStorage: byte-wise XOR, tagged so decrypting foreign data fails as the real one does. */
function fakeSafeStorage(opts: { available: boolean; linuxBackend?: string }): SafeStorageLike {
  const key = 0x5a;
  return {
    isEncryptionAvailable: () => opts.available,
    encryptString: (s) => Buffer.concat([Buffer.from('v10'), Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ key))]),
    decryptString: (b) => {
      if (b.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(b.subarray(3).map((x) => x ^ key)).toString('utf8');
    },
    getSelectedStorageBackend: () => opts.linuxBackend ?? 'gnome_libsecret',
  };
}

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secret-choice-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const ok = { ok: true } as const;
const no = (reason: string) => ({ ok: false, reason }) as const;

describe('pickSecretBackend (the order)', () => {
  it.each([
    [ok, ok, 'keychain'],
    [ok, no('x'), 'keychain'],
    [no('locked'), ok, 'encrypted-file'],
    [no('locked'), no('no encryption'), 'session-only'],
  ] as const)('keychain %o, safeStorage %o -> %s', (keychain, safeStorage, expected) => {
    expect(pickSecretBackend({ keychain, safeStorage })).toBe(expected);
  });
});

describe('chooseSecretStore', () => {
  const deps = (over: Partial<Parameters<typeof chooseSecretStore>[0]>) => ({
    loadKeytar: async () => new FakeKeychain(),
    service: 'relay-test',
    safeStorage: fakeSafeStorage({ available: true }),
    platform: 'linux' as NodeJS.Platform,
    encryptedFilePath: path.join(dir, 'secrets.enc.json'),
    logger: silentLogger,
    ...over,
  });

  it('uses the keychain when a write-then-read round trip works, and leaves no probe item behind', async () => {
    const keychain = new FakeKeychain();
    const { store, skipped } = await chooseSecretStore(deps({ loadKeytar: async () => keychain }));
    expect(store.backend).toBe('keychain');
    expect(store.available).toBe(true);
    expect(skipped).toEqual([]);
    expect(keychain.items.size).toBe(0);
    await store.set('pbxClientSecret', 'abc-123');
    expect(keychain.items.get('relay-test/pbxClientSecret')).toBe('abc-123');
  });

  it('falls back to safeStorage when keytar cannot load', async () => {
    const { store, skipped } = await chooseSecretStore(deps({ loadKeytar: async () => { throw new Error('libsecret-1.so.0: cannot open shared object file'); } }));
    expect(store.backend).toBe('encrypted-file');
    expect(skipped[0]).toMatch(/keytar native module could not load: libsecret/);
  });

  it('falls back to safeStorage when the keyring is locked (reads answer null)', async () => {
    const sink = memorySink();
    const { store, skipped } = await chooseSecretStore(deps({ loadKeytar: async () => new FakeKeychain('locked'), logger: createLogger(sink) }));
    expect(store.backend).toBe('encrypted-file');
    expect(skipped[0]).toMatch(/did not return what was stored/);
    expect(sink.records[0]).toMatchObject({ msg: 'secret storage fallback', backend: 'encrypted-file' });
  });

  it('falls back to safeStorage when the keychain throws', async () => {
    const { store } = await chooseSecretStore(deps({ loadKeytar: async () => new FakeKeychain('throws') }));
    expect(store.backend).toBe('encrypted-file');
  });

  it('refuses to store (session only) when safeStorage has no encryption', async () => {
    const { store, skipped } = await chooseSecretStore(deps({
      loadKeytar: async () => new FakeKeychain('locked'), safeStorage: fakeSafeStorage({ available: false }),
    }));
    expect(store.backend).toBe('session-only');
    expect(store.available).toBe(false);
    expect(skipped).toHaveLength(2);
    await store.set('cdrDbPassword', 'pw-123456');
    expect(await store.get('cdrDbPassword')).toBe('pw-123456');
    await expect(fs.readdir(dir)).resolves.toEqual([]); // nothing written anywhere
  });

  it('does not count Linux "basic_text" safeStorage (a hard-coded key) as encryption', async () => {
    const { store } = await chooseSecretStore(deps({
      loadKeytar: async () => new FakeKeychain('locked'), safeStorage: fakeSafeStorage({ available: true, linuxBackend: 'basic_text' }),
    }));
    expect(store.backend).toBe('session-only');
  });

  it('accepts safeStorage on Windows and macOS, where there is no backend choice', async () => {
    for (const platform of ['win32', 'darwin'] as const) {
      const { store } = await chooseSecretStore(deps({
        platform, loadKeytar: async () => new FakeKeychain('locked'), safeStorage: fakeSafeStorage({ available: true, linuxBackend: 'unknown' }),
      }));
      expect(store.backend).toBe('encrypted-file');
    }
  });
});

describe('probeKeytar / keytar store', () => {
  it('probe reports a thrown error as the reason', async () => {
    expect(await probeKeytar(new FakeKeychain('throws'), 's')).toEqual({ ok: false, reason: expect.stringContaining('D-Bus') });
  });

  it('one account per secret under the service name', async () => {
    const keychain = new FakeKeychain();
    const store = createKeytarSecretStore(keychain, 'svc');
    await store.set('pbxClientSecret', 'a1');
    await store.set('cdrDbPassword', 'b2');
    expect([...keychain.items.keys()].sort()).toEqual(['svc/cdrDbPassword', 'svc/pbxClientSecret']);
    await store.delete('pbxClientSecret');
    expect(await store.get('pbxClientSecret')).toBeNull();
    expect(await store.get('cdrDbPassword')).toBe('b2');
  });
});

describe('safeStorage store', () => {
  it('keeps only ciphertext on disk, in a 0600 file', async () => {
    const file = path.join(dir, 'secrets.enc.json');
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage({ available: true }), filePath: file, logger: silentLogger });
    await store.set('pbxClientSecret', 'very-secret-value');
    const raw = await fs.readFile(file, 'utf8');
    expect(raw).not.toContain('very-secret-value');
    expect(JSON.parse(raw).secrets.pbxClientSecret).toMatch(/^[A-Za-z0-9+/=]+$/);
    if (process.platform !== 'win32') expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await store.get('pbxClientSecret')).toBe('very-secret-value');
    await store.delete('pbxClientSecret');
    expect(await store.get('pbxClientSecret')).toBeNull();
  });

  it('a blob the OS key cannot decrypt reads as "not set" with a warning', async () => {
    const file = path.join(dir, 'secrets.enc.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, secrets: { cdrDbPassword: Buffer.from('garbage').toString('base64') } }));
    const sink = memorySink();
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage({ available: true }), filePath: file, logger: createLogger(sink) });
    expect(await store.get('cdrDbPassword')).toBeNull();
    expect(sink.records[0]).toMatchObject({ msg: 'a stored secret could not be decrypted; it must be entered again', name: 'cdrDbPassword' });
  });

  it('a corrupt file reads as empty and is replaced on the next write', async () => {
    const file = path.join(dir, 'secrets.enc.json');
    await fs.writeFile(file, '{not json');
    const store = createSafeStorageSecretStore({ safeStorage: fakeSafeStorage({ available: true }), filePath: file, logger: silentLogger });
    expect(await store.get('pbxClientSecret')).toBeNull();
    await store.set('pbxClientSecret', 'x-1234');
    expect(await store.get('pbxClientSecret')).toBe('x-1234');
  });

  it('safeStorageProtects explains why not', () => {
    expect(safeStorageProtects(fakeSafeStorage({ available: false }), 'linux')).toEqual({ ok: false, reason: 'OS encryption (safeStorage) is not available' });
    expect(safeStorageProtects({ ...fakeSafeStorage({ available: true }), isEncryptionAvailable: () => { throw new Error('not ready'); } }, 'darwin'))
      .toEqual({ ok: false, reason: 'safeStorage failed: not ready' });
  });
});
