// The headless relay as a child process, the way `npm run relay` runs it
// (node --import tsx relay/cli.ts, without npm's start-up cost, or a built
// bundle), with its output captured for assertions and secret checks. The one
// spawner for the CLI, crash and end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RelayProcess {
  child: ChildProcess;
  /** Resolves with the URL from `relay listening on …`. */
  listening: Promise<string>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface SpawnRelayOptions {
  /** Node arguments before the relay's flags (default: the TypeScript entry under tsx). */
  entry?: string[];
  cwd?: string;
  /** Pass the test process's whole environment (default: only PATH and HOME, so secret checks see what the test set). */
  inheritEnv?: boolean;
}

export function spawnRelay(args: string[], env: Record<string, string> = {}, opts: SpawnRelayOptions = {}): RelayProcess {
  const base = opts.inheritEnv ? process.env : { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  const child = spawn(process.execPath, [...(opts.entry ?? ['--import', 'tsx', 'relay/cli.ts']), ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: string) => {
      out += d;
      const m = /^relay listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then(({ code, signal }) => reject(new Error(`relay exited (${code ?? signal}) before listening: ${err.slice(-2000)}`)));
  });
  listening.catch(() => {});
  return { child, listening, exited, stdout: () => out, stderr: () => err };
}
