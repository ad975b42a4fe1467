// keytar is optional: when npm left it out (no libsecret to build it) or its
// native part does not load, the loader fails with one readable reason and
// chooseSecretStore falls back, logging "keychain unavailable: <why>".
import { describe, expect, it } from 'vitest';
import { chooseSecretStore } from '../../../electron/secrets/choose-secret-store.js';
import { KeychainUnavailableError, loadKeytar } from '../../../electron/secrets/load-keytar.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';

/** What Node's ESM loader throws for a package that is not in node_modules. */
function moduleNotFound(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/electron/main.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** What a present package with a native part that cannot load throws (dlopen of libsecret). */
function nativeLoadFailure(): Error {
  return Object.assign(new Error('libsecret-1.so.0: cannot open shared object file: No such file or directory'), { code: 'ERR_DLOPEN_FAILED' });
}

const inMemoryKeytar = () => {
  const items = new Map<string, string>();
  return {
    getPassword: async (s: string, a: string) => items.get(`${s}/${a}`) ?? null,
    setPassword: async (s: string, a: string, p: string) => void items.set(`${s}/${a}`, p),
    deletePassword: async (s: string, a: string) => items.delete(`${s}/${a}`),
  };
};

describe('loadKeytar', () => {
  it('asks for the module by the name "keytar" and accepts its CommonJS default export', async () => {
    const asked: string[] = [];
    const keytar = inMemoryKeytar();
    const loaded = await loadKeytar(async (s) => {
      asked.push(s);
      return { default: keytar };
    });
    expect(asked).toEqual(['keytar']);
    expect(loaded).toBe(keytar);
  });

  it('says the optional package is not installed when the import finds no module', async () => {
    const failure = loadKeytar(async (s) => { throw moduleNotFound(s); });
    await expect(failure).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(failure).rejects.toThrow(/^keychain unavailable: the optional keytar package is not installed/);
  });

  it('names the native failure when the package is there but cannot load', async () => {
    await expect(loadKeytar(async () => { throw nativeLoadFailure(); }))
      .rejects.toThrow('keychain unavailable: the keytar native module could not load: libsecret-1.so.0: cannot open shared object file');
  });

  it('refuses a module that is not keytar', async () => {
    await expect(loadKeytar(async () => ({ default: { something: 1 } }))).rejects.toThrow(/does not export getPassword/);
  });

  it('the real import works or fails the same readable way, never crashing the caller', async () => {
    // Here keytar may or may not be installed: both outcomes are valid.
    const outcome = await loadKeytar().then(() => 'loaded', (e: unknown) => (e instanceof KeychainUnavailableError ? 'unavailable' : e));
    expect(['loaded', 'unavailable']).toContain(outcome);
  });
});

describe('chooseSecretStore without keytar', () => {
  it('falls back to safeStorage and logs "keychain unavailable: <why>"', async () => {
    const sink = memorySink();
    const choice = await chooseSecretStore({
      loadKeytar: () => loadKeytar(async (s) => { throw moduleNotFound(s); }),
      service: 'relay-test',
      safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
      platform: 'linux',
      encryptedFilePath: '/nonexistent/secrets.enc.json',
      logger: createLogger(sink),
    });
    expect(choice.store.backend).toBe('session-only');
    expect(choice.keychainUnavailable).toMatch(/^the optional keytar package is not installed/);
    expect(sink.records.map((r) => r.msg)).toContain(`keychain unavailable: ${choice.keychainUnavailable}`);
  });

  it('reports no reason when the keychain works', async () => {
    const choice = await chooseSecretStore({
      loadKeytar: () => loadKeytar(async () => ({ default: inMemoryKeytar() })),
      service: 'relay-test',
      safeStorage: { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' },
      platform: 'linux',
      encryptedFilePath: '/nonexistent/secrets.enc.json',
      logger: createLogger(memorySink()),
    });
    expect(choice.store.backend).toBe('keychain');
    expect(choice.keychainUnavailable).toBeNull();
  });
});
