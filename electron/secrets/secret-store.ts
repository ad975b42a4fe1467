// Every secret the relay keeps (3CX client secret, CDR database password)
// sits behind this one interface, so the backend is one file: the OS keychain
// or an encrypted blob on the desktop, the environment or a 0600 file
// headless, or session memory when nothing safe exists. Never plain text in a
// file anyone else can read.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { RelayError } from '../../relay/core/relay-error.js';

// The team relay's session and device tokens (desktop as a team client) are secrets like the others:
// a session token is a sign-in, so it never goes into settings.json.
export const SECRET_NAMES = ['pbxClientSecret', 'cdrDbPassword', 'teamSessionToken', 'teamDeviceToken'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** How secrets persist: the desktop's three backends and the headless one. */
export type SecretBackend = 'keychain' | 'encrypted-file' | 'session-only' | 'env-file';

export interface SecretStore {
  readonly backend: SecretBackend;
  /** False when secrets cannot be kept across restarts (the UI asks for them each start). */
  readonly available: boolean;
  get(name: SecretName): Promise<string | null>;
  set(name: SecretName, value: string): Promise<void>;
  delete(name: SecretName): Promise<void>;
}

export function isSecretName(v: unknown): v is SecretName {
  return typeof v === 'string' && (SECRET_NAMES as readonly string[]).includes(v);
}

/** Environment variables that hold each secret headless (the relay CLI's names). */
export const SECRET_ENV: Record<SecretName, string> = {
  pbxClientSecret: 'RELAY_PBX_CLIENT_SECRET',
  cdrDbPassword: 'RELAY_CDR_DB_PASSWORD',
  // Desktop-only; named so a headless store never confuses them with the relay's own secrets.
  teamSessionToken: 'RELAY_DESKTOP_TEAM_SESSION',
  teamDeviceToken: 'RELAY_DESKTOP_TEAM_DEVICE',
};

/** Kept in memory only, for this run: what the desktop falls back to when no secure store exists. */
export function createSessionSecretStore(): SecretStore {
  const values = new Map<SecretName, string>();
  return {
    backend: 'session-only',
    available: false,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
}

export interface EnvFileSecretStoreOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** A JSON file readable by its owner only; without it secrets come from the environment alone. */
  filePath?: string;
  platform?: NodeJS.Platform;
}

interface SecretFile { version: 1; secrets: Partial<Record<SecretName, string>> }

/**
 * Headless: the environment wins, then the 0600 file. A file that group or
 * others can read is refused (as ssh refuses a loose key) rather than used.
 */
export function createEnvFileSecretStore(opts: EnvFileSecretStoreOptions): SecretStore {
  const { env, filePath } = opts;
  const checkMode = (opts.platform ?? process.platform) !== 'win32';

  async function readFile(): Promise<SecretFile> {
    if (!filePath) return { version: 1, secrets: {} };
    let raw: string;
    try {
      if (checkMode) {
        const st = await fs.stat(filePath);
        if ((st.mode & 0o077) !== 0) {
          throw new RelayError('secret_file_permissions', 500,
            `the secrets file ${filePath} is readable by other users; run \`chmod 600 ${filePath}\``);
        }
      }
      raw = await fs.readFile(filePath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw e;
    }
    const parsed: unknown = JSON.parse(raw);
    if (!parsed || typeof parsed !== 'object' || typeof (parsed as SecretFile).secrets !== 'object') {
      throw new RelayError('secret_file_corrupt', 500, `the secrets file ${filePath} is not in the expected format`);
    }
    const secrets: SecretFile['secrets'] = {};
    for (const [k, v] of Object.entries((parsed as SecretFile).secrets)) {
      if (isSecretName(k) && typeof v === 'string') secrets[k] = v;
    }
    return { version: 1, secrets };
  }

  async function writeFile(file: SecretFile): Promise<void> {
    if (!filePath) {
      throw new RelayError('secret_store_unavailable', 500,
        `no secrets file is configured; set ${Object.values(SECRET_ENV).join(' / ')} in the environment instead`);
    }
    await writePrivateFileAtomic(filePath, JSON.stringify(file));
  }

  return {
    backend: 'env-file',
    available: filePath !== undefined,
    async get(name) {
      const fromEnv = env[SECRET_ENV[name]];
      if (fromEnv) return fromEnv;
      return (await readFile()).secrets[name] ?? null;
    },
    async set(name, value) {
      const file = await readFile();
      file.secrets[name] = value;
      await writeFile(file);
    },
    async delete(name) {
      if (!filePath) return;
      const file = await readFile();
      if (!(name in file.secrets)) return;
      delete file.secrets[name];
      await writeFile(file);
    },
  };
}

/**
 * Writes `data` so that no reader ever sees a half-written file and nobody
 * but the owner can read it at any moment: a 0600 temp file, fsync, rename.
 */
export async function writePrivateFileAtomic(filePath: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
  const tmp = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, filePath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Wraps a store so the logger's redactor can mask every secret value this
 * process has read or written, synchronously, without asking the backend.
 */
export function trackSecretValues(store: SecretStore): { store: SecretStore; values: () => readonly string[] } {
  const seen = new Map<SecretName, string>();
  const remember = (name: SecretName, value: string | null) => {
    if (value) seen.set(name, value);
  };
  return {
    values: () => [...seen.values()],
    store: {
      get backend() { return store.backend; },
      get available() { return store.available; },
      async get(name) {
        const v = await store.get(name);
        remember(name, v);
        return v;
      },
      async set(name, value) {
        remember(name, value);
        await store.set(name, value);
      },
      // The old value stays masked: it may still be in flight in an upstream client.
      delete: (name) => store.delete(name),
    },
  };
}
