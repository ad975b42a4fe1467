// keytar is an optional dependency: on a machine without libsecret its native
// build fails and npm leaves it out, and the app must still start (falling
// back to safeStorage or session-only secrets). So it is imported only here,
// lazily, by a name the bundler and the type checker do not follow, and a
// failure becomes one sentence for the settings page and the log.
import type { KeytarLike } from './keytar-secret-store.js';

/** Imports a module by name; the real one is `import()`, tests pass one that fails. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

// A variable, not a literal: a literal would make tsc require keytar's types
// and esbuild try to resolve it, and both fail where keytar is not installed.
const KEYTAR = 'keytar';

export class KeychainUnavailableError extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`keychain unavailable: ${reason}`, options);
    this.name = 'KeychainUnavailableError';
  }
}

const isKeytar = (m: unknown): m is KeytarLike =>
  !!m && typeof m === 'object' &&
  ['getPassword', 'setPassword', 'deletePassword'].every((f) => typeof (m as Record<string, unknown>)[f] === 'function');

/** Why keytar could not load, in words a person can act on. */
export function keytarLoadFailure(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = e instanceof Error ? e.message : String(e);
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /keytar/.test(message)) {
    return 'the optional keytar package is not installed (its native build needs libsecret-1-dev on Linux; reinstall after adding it)';
  }
  // A package that installed but whose native part does not load here
  // (missing libsecret-1.so.0, a build for another Node or Electron ABI).
  return `the keytar native module could not load: ${message}`;
}

export async function loadKeytar(importer: ModuleImporter = (s) => import(s)): Promise<KeytarLike> {
  let mod: unknown;
  try {
    mod = await importer(KEYTAR);
  } catch (e) {
    throw new KeychainUnavailableError(keytarLoadFailure(e), { cause: e });
  }
  // keytar is CommonJS: its functions sit on the default export under ESM.
  const candidate = isKeytar(mod) ? mod : (mod as { default?: unknown } | null)?.default;
  if (!isKeytar(candidate)) throw new KeychainUnavailableError('the keytar package does not export getPassword/setPassword/deletePassword');
  return candidate;
}
