// Which backend keeps the secrets on this machine, in order of preference:
// the OS keychain (keytar), then safeStorage-encrypted file, otherwise none
// at all: secrets live in memory for this run and the UI asks each start.
// Never plain text.
import type { Logger } from '../../relay/core/logger.js';
import { createSessionSecretStore, type SecretBackend, type SecretStore } from './secret-store.js';
import { createKeytarSecretStore, probeKeytar, type KeytarLike } from './keytar-secret-store.js';
import { KeychainUnavailableError, keytarLoadFailure } from './load-keytar.js';
import { createSafeStorageSecretStore, safeStorageProtects, type SafeStorageLike } from './safe-storage-secret-store.js';

export type Probe = { ok: true } | { ok: false; reason: string };

/** The decision alone, from what was found out. */
export function pickSecretBackend(facts: { keychain: Probe; safeStorage: Probe }): SecretBackend {
  if (facts.keychain.ok) return 'keychain';
  if (facts.safeStorage.ok) return 'encrypted-file';
  return 'session-only';
}

export interface SecretStoreChoiceDeps {
  /**
   * Loads the native keytar module (`loadKeytar` from load-keytar.ts); rejects when it cannot
   * load: not installed (an optional dependency), missing libsecret, a build for another ABI.
   */
  loadKeytar: () => Promise<KeytarLike>;
  /** Keychain service name: the app's name. */
  service: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  /** Where the safeStorage-encrypted blob lives (in userData). */
  encryptedFilePath: string;
  logger: Logger;
}

export interface SecretStoreChoice {
  store: SecretStore;
  /** Why each better backend was passed over, for the log and the settings page. */
  skipped: string[];
  /** Null when the OS keychain keeps the secrets; otherwise why not, for the settings page. */
  keychainUnavailable: string | null;
}

export async function chooseSecretStore(deps: SecretStoreChoiceDeps): Promise<SecretStoreChoice> {
  let keytar: KeytarLike | null = null;
  let keychain: Probe;
  try {
    keytar = await deps.loadKeytar();
    keychain = await probeKeytar(keytar, deps.service);
  } catch (e) {
    keychain = { ok: false, reason: e instanceof KeychainUnavailableError ? e.reason : keytarLoadFailure(e) };
  }
  // Only asked when needed: on Linux safeStorage itself talks to the keyring.
  const safeStorage: Probe = keychain.ok ? { ok: false, reason: 'not needed' } : safeStorageProtects(deps.safeStorage, deps.platform);

  const backend = pickSecretBackend({ keychain, safeStorage });
  const skipped = [keychain, safeStorage].flatMap((p) => (p.ok || p.reason === 'not needed' ? [] : [p.reason]));
  const keychainUnavailable = keychain.ok ? null : keychain.reason;
  let store: SecretStore;
  if (backend === 'keychain' && keytar) store = createKeytarSecretStore(keytar, deps.service);
  else if (backend === 'encrypted-file') {
    store = createSafeStorageSecretStore({ safeStorage: deps.safeStorage, filePath: deps.encryptedFilePath, logger: deps.logger });
  } else store = createSessionSecretStore();

  if (skipped.length) deps.logger.warn('secret storage fallback', { backend, skipped });
  else deps.logger.info('secret storage', { backend });
  if (keychainUnavailable !== null) deps.logger.warn(`keychain unavailable: ${keychainUnavailable}`, { backend });
  return { store, skipped, keychainUnavailable };
}
