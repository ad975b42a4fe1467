// Secrets in the OS keychain through keytar: service = the app's name, one
// account per secret (macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux).
import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store.js';

/** The part of keytar we use; the real module satisfies it. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const PROBE_ACCOUNT = 'relay-companion-probe';

/**
 * keytar answers `null` (no error) from a locked keyring, which would read as
 * "no secret saved" and silently lose the person's settings. A write-then-read
 * round trip is the only way to know the keychain really keeps what we give it.
 */
export async function probeKeytar(keytar: KeytarLike, service: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const value = randomBytes(12).toString('hex');
  try {
    await keytar.setPassword(service, PROBE_ACCOUNT, value);
    const read = await keytar.getPassword(service, PROBE_ACCOUNT);
    await keytar.deletePassword(service, PROBE_ACCOUNT);
    if (read !== value) return { ok: false, reason: 'the keychain did not return what was stored (locked?)' };
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: `the keychain refused access: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function createKeytarSecretStore(keytar: KeytarLike, service: string): SecretStore {
  return {
    backend: 'keychain',
    available: true,
    get: (name) => keytar.getPassword(service, name),
    set: (name, value) => keytar.setPassword(service, name, value),
    delete: async (name) => {
      await keytar.deletePassword(service, name);
    },
  };
}
