// Servers under test run in child processes so the load generator never
// shares their event loop. A child is "ready" when a line of its output
// matches a pattern (the relay prints `relay listening on http://HOST:PORT`).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChildOptions {
  /** Executable; default this Node binary. */
  command?: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A line on stdout or stderr that says the child is serving. */
  ready: RegExp;
  readyTimeoutMs?: number;
  /** Extra IPC channel (for children that report figures back). */
  ipc?: boolean;
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** The ready line's match. */
  match: RegExpExecArray;
  /** Milliseconds from spawn to the ready line. */
  readyAfterMs: number;
  /** Last lines of output, for diagnostics when something fails. */
  tail(): string;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves on exit. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  exited: Promise<number | null>;
}

/** Runs a TypeScript file with tsx in a child Node process. */
export function tsxArgs(file: string, args: string[] = []): string[] {
  return ['--import', 'tsx', path.resolve(REPO_ROOT, file), ...args];
}

export async function spawnChild(opts: ChildOptions): Promise<Child> {
  const t0 = performance.now();
  const proc = spawn(opts.command ?? process.execPath, opts.args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const remember = (l: string) => {
    lines.push(l);
    if (lines.length > 200) lines.shift();
  };
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
  let settled = false;
  const match = await new Promise<{ m: RegExpExecArray; at: number }>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`child did not become ready within ${opts.readyTimeoutMs ?? 30_000} ms`)), opts.readyTimeoutMs ?? 30_000);
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${e.message}\n--- child output ---\n${lines.join('\n')}`));
    };
    const onLine = (l: string) => {
      remember(l);
      const m = opts.ready.exec(l);
      if (m && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ m, at: performance.now() });
      }
    };
    createInterface({ input: proc.stdout! }).on('line', onLine);
    createInterface({ input: proc.stderr! }).on('line', onLine);
    proc.once('error', fail);
    void exited.then((code) => fail(new Error(`child exited with ${code} before it was ready`)));
  });
  return {
    proc,
    pid: proc.pid!,
    match: match.m,
    readyAfterMs: match.at - t0,
    tail: () => lines.join('\n'),
    exited,
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill(signal);
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
