// The headless relay (`relay/cli.ts`) as a child process, the way a person
// runs it: flags and environment, ready when it prints its URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './renderer-build.js';

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  /** Everything the relay printed, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 8 s. Idempotent. */
  stop(): Promise<void>;
}

export async function startRelayProcess(args: string[], env: Record<string, string>, timeoutMs = 45_000): Promise<RelayProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'relay/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not print its URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /relay listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited with ${code} before listening:\n${output}`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });
  // Keep draining the pipes so the child never blocks on a full buffer.
  child.stdout?.on('data', (c: Buffer) => void (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => void (output += c.toString()));

  let stopping: Promise<void> | null = null;
  return {
    url,
    port: Number(new URL(url).port),
    output: () => output,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(killer);
      })();
      return stopping;
    },
  };
}
