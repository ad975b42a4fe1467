// The keytar-backed secret store against a REAL Secret Service: a private
// D-Bus session (dbus-run-session) with a throwaway GNOME keyring, unlocked
// with a password fed on stdin. Needs Debian's gnome-keyring, dbus and
// libsecret (.ci/system-packages.sh installs them).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const script = path.join(here, 'support', 'keyring-session.ts');

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

let home: string;
beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'keyring-it-'));
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

function runInKeyringSession(password: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const runtime = path.join(home, 'run');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    // A private home: the keyring file lands here, never in the real user's keyring.
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_RUNTIME_DIR: runtime,
  };
  return fs.mkdir(runtime, { recursive: true, mode: 0o700 }).then(() => new Promise((resolve, reject) => {
    const child = spawn('dbus-run-session', ['--', process.execPath, '--import', 'tsx', script], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(`${password}\n`);
  }));
}

describe('keytar secret store against a real Secret Service', () => {
  it('the machine has what the test needs', () => {
    expect(have('dbus-run-session'), 'dbus-run-session missing: run .ci/system-packages.sh').toBe(true);
    expect(have('gnome-keyring-daemon'), 'gnome-keyring-daemon missing: run .ci/system-packages.sh').toBe(true);
  });

  it('stores, reads and deletes through the keychain, and detects a locked keyring', async () => {
    const { code, stdout, stderr } = await runInKeyringSession('it-keyring-password');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(result).toEqual({
      backend: 'keychain',
      skipped: [],
      stored: true,
      direct: true,
      afterDelete: null,
      probeLeftovers: null,
      // keytar answers null from a locked keyring, without an error...
      whileLocked: null,
      // ...so the write-then-read probe is what keeps the app from treating it as empty.
      lockedBackend: 'session-only',
      lockedSkipped: [expect.stringMatching(/keychain/), 'OS encryption (safeStorage) is not available'],
    });
    // The keyring lived in the private home, nowhere else.
    await expect(fs.readdir(path.join(home, 'data', 'keyrings'))).resolves.toContain('login.keyring');
  }, 60_000);
});
