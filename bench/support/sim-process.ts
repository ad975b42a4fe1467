// Parent side of sim-child.ts: start the simulator in a child process and
// drive it through its /__sim/* control routes.
import { randomBytes } from 'node:crypto';
import type { SimulatorOptions, SimulatorStats } from '../../relay/sim/simulator.js';
import { spawnChild, tsxArgs, type Child } from '../../test/support/child-process.js';

export interface SimChild extends Child {
  url: string;
  clientId: string;
  clientSecret: string;
  stats(): Promise<SimulatorStats>;
  faults(body: Record<string, unknown>): Promise<void>;
  setCallsPerMinute(n: number): Promise<void>;
  /** A fresh OAuth2 token for this client id (revokes the previous one, as 3CX does). */
  token(): Promise<string>;
  /** Fan-out driver: see sim-child.ts. */
  pace(eventsPerSecond: number, durationS: number, concurrentCalls: number): Promise<{ seqs: number[]; sentAtMs: number[] }>;
}

export async function startSimChild(opts: Omit<SimulatorOptions, 'logger' | 'clock' | 'clientSecret'> = {}): Promise<SimChild> {
  const clientSecret = randomBytes(18).toString('base64url');
  const clientId = opts.clientId ?? 'relay';
  const child = await spawnChild({
    args: tsxArgs('bench/support/sim-child.ts', [JSON.stringify({ ...opts, clientId })]),
    env: { SIM_CLIENT_SECRET: clientSecret },
    ready: /sim listening on (http:\/\/\S+)/,
    ipc: true,
  });
  const url = child.match[1]!;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`sim ${path} answered ${res.status}: ${await res.text()}`);
  };
  return {
    ...child,
    url,
    clientId,
    clientSecret,
    async stats() {
      const res = await fetch(`${url}/__sim/state`);
      return ((await res.json()) as { stats: SimulatorStats }).stats;
    },
    faults: (body) => post('/__sim/faults', body),
    setCallsPerMinute: (n) => post('/__sim/rate', { callsPerMinute: n }),
    async token() {
      const res = await fetch(`${url}/connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'client_credentials' }),
      });
      if (!res.ok) throw new Error(`sim token endpoint answered ${res.status}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    pace(eventsPerSecond, durationS, concurrentCalls) {
      return new Promise((resolve, reject) => {
        const onMessage = (msg: { type: string; seqs: number[]; sentAtMs: number[] }) => {
          if (msg.type !== 'paced') return;
          child.proc.off('message', onMessage);
          child.proc.off('exit', onExit);
          resolve(msg);
        };
        const onExit = () => reject(new Error('simulator exited while pacing'));
        child.proc.on('message', onMessage);
        child.proc.once('exit', onExit);
        child.proc.send({ type: 'pace', eventsPerSecond, durationS, concurrentCalls });
      });
    },
  };
}
