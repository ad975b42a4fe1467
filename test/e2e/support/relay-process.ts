// The headless relay (`relay/cli.ts`) as a child process, the way a person
// runs it: flags and environment, ready when it prints its URL. Built on the
// shared spawner; this adds a start-up deadline and an idempotent stop.
import { spawnRelay } from '../../support/relay-process.js';

export interface RelayProcess {
  readonly url: string;
  readonly port: number;
  /** Everything the relay printed, for failure messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 8 s. Idempotent. */
  stop(): Promise<void>;
}

export async function startRelayProcess(args: string[], env: Record<string, string>, timeoutMs = 45_000): Promise<RelayProcess> {
  const relay = spawnRelay(args, { ...env, NODE_ENV: 'test' }, { inheritEnv: true });
  const output = () => relay.stdout() + relay.stderr();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`relay did not print its URL within ${timeoutMs} ms:\n${output()}`)), timeoutMs);
  });
  const url = await Promise.race([relay.listening, deadline])
    .catch(async (err: unknown) => {
      relay.child.kill('SIGKILL');
      await relay.exited;
      throw err;
    })
    .finally(() => clearTimeout(timer));

  let stopping: Promise<void> | null = null;
  return {
    url: url.replace(/\/$/, ''),
    port: Number(new URL(url).port),
    output,
    stop() {
      stopping ??= (async () => {
        const { child } = relay;
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
        await relay.exited;
        clearTimeout(killer);
      })();
      return stopping;
    },
  };
}
