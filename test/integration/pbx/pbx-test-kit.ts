// Shared set-up for the upstream-client integration tests: a real simulator
// on loopback, clients wired the way createUpstreams wires them, and small
// waiting helpers. Everything started here is stopped by `close()`.
import type { ActiveCall } from '../../../relay/contract/api-types.js';
import type { Clock } from '../../../relay/core/clock.js';
import { systemClock } from '../../../relay/core/clock.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import type { Logger } from '../../../relay/core/logger.js';
import { QUEUES } from '../../../relay/sim/pbx-directory.js';
import { startSimulator } from '../../../relay/sim/simulator.js';
import type { Simulator, SimulatorOptions } from '../../../relay/sim/simulator.js';
import { TokenBroker } from '../../../relay/pbx/token-broker.js';
import type { TokenBrokerOptions } from '../../../relay/pbx/token-broker.js';

const QUEUE_DNS = new Set(QUEUES.map((q) => q.dn));

/** A clock whose `now` the test moves; timers still run on real time (they are short here). */
export function steppedClock(start = Date.parse('2026-11-23T10:00:00Z')): Clock & { advance(ms: number): void; t: number } {
  const c = {
    t: start,
    now: () => c.t,
    setTimeout: (fn: () => void, ms: number) => systemClock.setTimeout(fn, ms),
    advance: (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

/** A logger whose records the test can search (e.g. for leaked secrets). */
export function recordingLogger(secrets: () => readonly string[] = () => []): { logger: Logger; text: () => string } {
  const sink = memorySink();
  const logger = createLogger(sink, { level: 'debug', secrets });
  return { logger, text: () => JSON.stringify(sink.records) };
}

export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Kit {
  sim: Simulator;
  broker(over?: Partial<TokenBrokerOptions> & { secret?: string }): TokenBroker;
  /** Register something to stop at the end (clients, brokers). */
  own<T extends { stop(): unknown }>(thing: T): T;
  close(): Promise<void>;
}

export async function startKit(simOpts: SimulatorOptions = {}): Promise<Kit> {
  // These tests read the live list through Call Control, so it monitors every DN
  // (a real 3CX shows only the listed ones; simulator-versions.test.ts covers that).
  const sim = await startSimulator({ seed: 7, callControlMonitors: 'all', ...simOpts });
  const owned: Array<{ stop(): unknown }> = [];
  const own = <T extends { stop(): unknown }>(thing: T): T => {
    owned.push(thing);
    return thing;
  };
  return {
    sim,
    own,
    broker: (over = {}) =>
      own(
        new TokenBroker({
          config: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: over.secret ?? sim.clientSecret },
          timeoutMs: 2000,
          ...over,
        }),
      ),
    async close() {
      for (const t of owned.reverse()) await t.stop();
      await sim.stop();
    },
  };
}

/** Id, status and the number part of caller/callee: what the relay's and the simulator's view of a call must agree on. */
export function callEssence(calls: readonly ActiveCall[]): Array<[number, string, string | undefined, string | undefined]> {
  const number = (s: string) => s.split(' ')[0];
  return [...calls].sort((a, b) => a.Id - b.Id).map((c) => [c.Id, queuedAsRouting(c), number(c.Caller), number(c.Callee)]);
}

/**
 * XAPI shows a caller waiting in a queue as `Talking` to the queue; Call
 * Control alone sees only a ringing queue participant and calls it
 * `Routing`. Until the live list comes from XAPI, both count as one state.
 */
function queuedAsRouting(c: ActiveCall): string {
  return c.Status === 'Talking' && QUEUE_DNS.has(c.Callee.split(' ')[0] ?? '') ? 'Routing' : c.Status;
}
