// Polling helpers for "until the relay says so" moments in benchmarks.
import type { ComponentName, ComponentState, Health } from '../../relay/contract/api-types.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it gives a value; an error `fatal` recognises ends the wait at once. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 100,
  fatal: (err: unknown) => boolean = () => false,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (fatal(err)) throw err;
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(everyMs);
  }
}

export async function health(relayUrl: string): Promise<Health> {
  const res = await fetch(`${relayUrl}/relay/health`);
  return (await res.json()) as Health;
}

export function waitForComponent(relayUrl: string, component: ComponentName, state: ComponentState, timeoutMs = 20_000): Promise<Health> {
  return waitFor(`${component} ${state}`, async () => {
    const h = await health(relayUrl);
    return h.components[component].state === state ? h : undefined;
  }, timeoutMs);
}
