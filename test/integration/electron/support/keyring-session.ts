// Runs INSIDE `dbus-run-session` (started by keytar-secret-store.test.ts):
// brings up a real GNOME keyring (Secret Service) unlocked with the password
// read from stdin, then exercises the desktop's secret-store choice and the
// keytar-backed store against it. Prints one JSON line with what it saw.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chooseSecretStore } from '../../../../electron/secrets/choose-secret-store.js';
import type { KeytarLike } from '../../../../electron/secrets/keytar-secret-store.js';
import { loadKeytar } from '../../../../electron/secrets/load-keytar.js';
import type { SafeStorageLike } from '../../../../electron/secrets/safe-storage-secret-store.js';
import { createLogger, memorySink } from '../../../../relay/core/logger.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

/** gnome-keyring-daemon prints `NAME=value` lines for the environment; keytar (libsecret) needs them. */
async function startKeyring(password: string): Promise<void> {
  const daemon = spawn('gnome-keyring-daemon', ['--replace', '--unlock', '--components=secrets', '--daemonize'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  daemon.stdout.on('data', (c: Buffer) => void (out += c.toString()));
  daemon.stdin.end(`${password}\n`);
  const code = await new Promise<number | null>((resolve) => daemon.on('exit', resolve));
  if (code !== 0) throw new Error(`gnome-keyring-daemon exited with ${code}`);
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) process.env[line.slice(0, eq)] = line.slice(eq + 1);
  }
}

function lockLoginCollection(): void {
  execFileSync('dbus-send', [
    '--session', '--dest=org.freedesktop.secrets', '--type=method_call', '--print-reply',
    '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', 'array:objpath:/org/freedesktop/secrets/collection/login',
  ], { stdio: 'ignore' });
}

const noSafeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => false,
  encryptString: () => { throw new Error('unavailable'); },
  decryptString: () => { throw new Error('unavailable'); },
};

async function main() {
  await startKeyring(await readStdin());
  // Through the app's own lazy loader: keytar is optional, so no static import anywhere.
  const keytar: KeytarLike = await loadKeytar();
  const service = `relay-companion-it-${randomBytes(4).toString('hex')}`;
  const deps = {
    loadKeytar: async () => keytar,
    service,
    safeStorage: noSafeStorage,
    platform: 'linux' as const,
    encryptedFilePath: '/nonexistent/secrets.enc.json',
    logger: createLogger(memorySink()),
  };
  const secret = `s3cret-${randomBytes(8).toString('hex')}`;

  const unlocked = await chooseSecretStore(deps);
  const store = unlocked.store;
  await store.set('pbxClientSecret', secret);
  const readBack = await store.get('pbxClientSecret');
  // Straight from the Secret Service, not through our store: service/account as documented.
  const direct = await keytar.getPassword(service, 'pbxClientSecret');
  await store.delete('pbxClientSecret');
  const afterDelete = await store.get('pbxClientSecret');
  const probeLeftovers = await keytar.getPassword(service, 'relay-companion-probe');

  // The same keyring, locked: keytar reads null without an error; the probe must notice.
  lockLoginCollection();
  const whileLocked = await keytar.getPassword(service, 'anything');
  const locked = await chooseSecretStore(deps);

  process.stdout.write(`${JSON.stringify({
    backend: store.backend,
    skipped: unlocked.skipped,
    stored: readBack === secret,
    direct: direct === secret,
    afterDelete,
    probeLeftovers,
    whileLocked,
    lockedBackend: locked.store.backend,
    lockedSkipped: locked.skipped,
  })}\n`);
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`keyring-session failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
