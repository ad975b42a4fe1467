// Benchmark 1's load, shared by the benchmark and the A/B tool (compare.ts),
// so both measure the same thing: GET /relay/active-calls with a realistic
// body (the system-wide list from XAPI), spread over several read keys.
import type { ActiveCallsResponse } from '../../relay/contract/api-types.js';
import { AdminClient } from './admin-client.js';
import { waitFor, waitForComponent } from './wait.js';

export const ACTIVE_CALLS_KEYS = 10;
export const ACTIVE_CALLS_CONNECTIONS = 20;

/** A handful of live calls on the simulator (every other one answered), so the answer has a realistic body. */
export async function placeLiveCalls(simUrl: string, n = 6): Promise<void> {
  const post = async (body: unknown) => {
    const res = await fetch(`${simUrl}/__sim/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`simulator /__sim/calls answered ${res.status}: ${await res.text()}`);
    return res;
  };
  for (let i = 0; i < n; i++) {
    const { callId } = (await (await post({ action: 'place' })).json()) as { callId: number };
    if (i % 2 === 0) await post({ action: 'answer', callId });
  }
}

export interface ActiveCallsLoad {
  url: string;
  connections: number;
  /** The read keys, in creation order. */
  keys: string[];
  /** Connection n uses key n mod ACTIVE_CALLS_KEYS. */
  headersFor(connection: number): Record<string, string>;
  /** A first answer, once XAPI serves the live calls. */
  body: ActiveCallsResponse;
}

/** Waits for the upstreams, creates the read keys and returns the load to run against `relayUrl`. */
export async function prepareActiveCallsLoad(relayUrl: string, adminPassword: string, keyPrefix: string): Promise<ActiveCallsLoad> {
  await waitForComponent(relayUrl, 'callcontrol', 'connected');
  const admin = await AdminClient.login(relayUrl, adminPassword);
  const keys: string[] = [];
  for (let i = 0; i < ACTIVE_CALLS_KEYS; i++) keys.push((await admin.createKey(`${keyPrefix}-${i}`, ['read'])).apiKey);
  const url = `${relayUrl}/relay/active-calls`;
  const body = await waitFor('active calls from XAPI', async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${keys[0]}` } });
    const b = (await res.json()) as ActiveCallsResponse;
    return res.status === 200 && b.source === 'xapi' && b.value.length > 0 ? b : undefined;
  });
  return { url, connections: ACTIVE_CALLS_CONNECTIONS, keys, headersFor: (n) => ({ authorization: `Bearer ${keys[n % ACTIVE_CALLS_KEYS]}` }), body };
}
