// Fallback when the keychain cannot be used: each secret encrypted with
// Electron safeStorage (a key the OS protects), kept as base64 in one 0600
// file in userData.
import fs from 'node:fs/promises';
import type { Logger } from '../../relay/core/logger.js';
import { isSecretName, writePrivateFileAtomic, type SecretName, type SecretStore } from './secret-store.js';

/** The part of Electron's `safeStorage` we use. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron documents it as such). */
  getSelectedStorageBackend?(): string;
}

/**
 * Whether safeStorage gives real protection here. On Linux without a
 * keyring Electron falls back to `basic_text`: a key hard-coded in Chromium,
 * which is plain text with extra steps, so it does not count.
 */
export function safeStorageProtects(safeStorage: SafeStorageLike, platform: NodeJS.Platform): { ok: true } | { ok: false; reason: string } {
  let available: boolean;
  try {
    available = safeStorage.isEncryptionAvailable();
  } catch (e) {
    return { ok: false, reason: `safeStorage failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!available) return { ok: false, reason: 'OS encryption (safeStorage) is not available' };
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return { ok: false, reason: `safeStorage would use the "${backend}" backend, which is not real encryption` };
    }
  }
  return { ok: true };
}

interface BlobFile { version: 1; secrets: Partial<Record<SecretName, string>> }

export function createSafeStorageSecretStore(opts: { safeStorage: SafeStorageLike; filePath: string; logger: Logger }): SecretStore {
  const { safeStorage, filePath, logger } = opts;

  async function load(): Promise<BlobFile> {
    let raw: string;
    try {
      raw = await fs.readFile(filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw e;
    }
    try {
      const parsed = JSON.parse(raw) as Partial<BlobFile>;
      const secrets: BlobFile['secrets'] = {};
      for (const [k, v] of Object.entries(parsed.secrets ?? {})) if (isSecretName(k) && typeof v === 'string') secrets[k] = v;
      return { version: 1, secrets };
    } catch {
      // Unreadable file: start empty (the person re-enters secrets) rather than refuse to run.
      logger.warn('encrypted secrets file is corrupt; ignoring it', { filePath });
      return { version: 1, secrets: {} };
    }
  }

  return {
    backend: 'encrypted-file',
    available: true,
    async get(name) {
      const blob = (await load()).secrets[name];
      if (!blob) return null;
      try {
        return safeStorage.decryptString(Buffer.from(blob, 'base64'));
      } catch {
        // The OS key changed (new user profile, reset keyring): the old blob is useless.
        logger.warn('a stored secret could not be decrypted; it must be entered again', { name });
        return null;
      }
    },
    async set(name, value) {
      const file = await load();
      file.secrets[name] = safeStorage.encryptString(value).toString('base64');
      await writePrivateFileAtomic(filePath, JSON.stringify(file));
    },
    async delete(name) {
      const file = await load();
      if (!(name in file.secrets)) return;
      delete file.secrets[name];
      await writePrivateFileAtomic(filePath, JSON.stringify(file));
    },
  };
}
