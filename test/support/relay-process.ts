// The headless relay as a child process, the way `npm run relay` runs it
// (node --import tsx relay/cli.ts, without npm's start-up cost, or a built
// bundle), with its output captured for assertions and secret checks. The
// relay spawner for the CLI, crash and end-to-end tests, on the spawner the
// benchmarks use too (child-process.ts).
import type { ChildProcess } from 'node:child_process';
import { RELAY_LISTENING, REPO_ROOT, spawnProcess, type ExitStatus } from './child-process.js';

export { REPO_ROOT };

export interface RelayProcess {
  child: ChildProcess;
  /** Resolves with the URL from `relay listening on …`. */
  listening: Promise<string>;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<ExitStatus>;
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
  const p = spawnProcess({
    args: [...(opts.entry ?? ['--import', 'tsx', 'relay/cli.ts']), ...args],
    env: { ...base, ...env },
    keepOutput: true,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  // No deadline of its own: the test's timeout (or the caller's) bounds it.
  const listening = p.line(RELAY_LISTENING, Infinity).then((m) => m[1]!);
  listening.catch(() => {});
  return { child: p.proc, listening, exited: p.exited, stdout: p.stdout, stderr: p.stderr };
}
