// The one spawner for child processes, shared by the tests and the
// benchmarks: servers under test (the headless relay, the simulator,
// baselines) run in their own process, so a load generator or a test never
// shares their event loop. Output is read line by line; a child is "ready"
// when a line matches a pattern (the relay prints `relay listening on URL`).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The headless relay's one line on stdout once it serves. */
export const RELAY_LISTENING = /^relay listening on (https?:\/\/\S+)$/;

/** Runs a TypeScript file with tsx in a child Node process. */
export function tsxArgs(file: string, args: string[] = []): string[] {
  return ['--import', 'tsx', path.resolve(REPO_ROOT, file), ...args];
}

export interface ProcessOptions {
  /** Executable; default this Node binary. */
  command?: string;
  args: string[];
  /** The whole environment of the child (not merged with this process's). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Extra IPC channel (for children that report figures back). */
  ipc?: boolean;
  /** Keep everything the child writes (tests check it); default only the last lines. */
  keepOutput?: boolean;
}

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

export interface SpawnedProcess {
  proc: ChildProcess;
  /** Everything written to stdout / stderr so far (keepOutput), else ''. */
  stdout(): string;
  stderr(): string;
  /** Last lines of output, for diagnostics when something fails. */
  tail(): string;
  exited: Promise<ExitStatus>;
  /** The first line (stdout or stderr) matching `pattern`; rejects when the child exits first or after `timeoutMs` (Infinity: no deadline). */
  line(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves on exit with the code (-1 for a signal). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

const TAIL_LINES = 200;

export function spawnProcess(opts: ProcessOptions): SpawnedProcess {
  const proc = spawn(opts.command ?? process.execPath, opts.args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env,
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  const lines: string[] = [];
  const watchers = new Set<(l: string) => void>();
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = proc[name]!;
    stream.setEncoding('utf8');
    if (opts.keepOutput) stream.on('data', (d: string) => (out[name] += d));
    createInterface({ input: stream }).on('line', (l) => {
      lines.push(l);
      if (lines.length > TAIL_LINES) lines.shift();
      for (const w of watchers) w(l);
    });
  }
  const exited = new Promise<ExitStatus>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const tail = () => lines.join('\n');
  return {
    proc,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    tail,
    exited,
    line(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const done = (fn: () => void) => {
          clearTimeout(timer);
          watchers.delete(watch);
          fn();
        };
        const fail = (why: string) => done(() => reject(new Error(`${why}\n--- child output ---\n${tail()}`)));
        const timer = Number.isFinite(timeoutMs)
          ? setTimeout(() => fail(`child printed no line matching ${pattern} within ${timeoutMs} ms`), timeoutMs)
          : undefined;
        const watch = (l: string) => {
          const m = pattern.exec(l);
          if (m) done(() => resolve(m));
        };
        watchers.add(watch);
        proc.once('error', (e) => fail(e.message));
        void exited.then(({ code, signal }) => fail(`child exited (${code ?? signal}) before printing a line matching ${pattern}`));
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill(signal);
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      const { code, signal: sig } = await exited;
      return code ?? (sig ? -1 : null);
    },
  };
}

export interface ChildOptions extends Omit<ProcessOptions, 'env'> {
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** A line on stdout or stderr that says the child is serving. */
  ready: RegExp;
  readyTimeoutMs?: number;
}

export interface Child extends SpawnedProcess {
  pid: number;
  /** The ready line's match. */
  match: RegExpExecArray;
  /** Milliseconds from spawn to the ready line. */
  readyAfterMs: number;
}

/** Spawns and waits for the ready line; a child that never gets there is killed. */
export async function spawnChild(opts: ChildOptions): Promise<Child> {
  const t0 = performance.now();
  const p = spawnProcess({ ...opts, env: { ...process.env, ...opts.env } });
  let match: RegExpExecArray;
  try {
    match = await p.line(opts.ready, opts.readyTimeoutMs ?? 30_000);
  } catch (e) {
    p.proc.kill('SIGKILL');
    throw e;
  }
  return { ...p, pid: p.proc.pid!, match, readyAfterMs: performance.now() - t0 };
}
