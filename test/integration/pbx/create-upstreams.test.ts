// The composition-root factory: one shared token broker, all three clients
// connected against the simulator and the read-only CDR role, unconfigured
// parts reported as such, unusable settings refused, and a clean stop.
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreams, stopUpstreams, type Upstreams } from '../../../relay/pbx/create-upstreams.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { testPostgres } from '../../support/test-postgres.js';
import { waitFor } from './pbx-test-kit.js';

describe('createUpstreams', () => {
  let sim: Simulator | null = null;
  let ups: Upstreams | null = null;
  afterEach(async () => {
    if (ups) await stopUpstreams(ups);
    await sim?.stop();
    sim = null;
    ups = null;
  });

  it('builds three connected clients sharing one token', async () => {
    // The live list still comes from Call Control here: it monitors every DN.
    sim = await startSimulator({ callControlMonitors: 'all' });
    ups = createUpstreams(
      { pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret }, cdr: { url: testPostgres().cdrReadonlyUrl } },
      { tuning: { requestTimeoutMs: 2000, reconnectBaseMs: 50, reconnectCapMs: 500, cdrPoolMax: 1 } },
    );
    await Promise.all([ups.xapi.start(), ups.callControl.start(), ups.cdr.start()]);
    expect([ups.xapi.health().state, ups.callControl.health().state, ups.cdr.health().state]).toEqual(['connected', 'connected', 'connected']);
    // XAPI and Call Control asked for a token at the same moment: one request, so neither revoked the other.
    expect(sim.stats.tokenRequests).toBe(1);
    expect(ups.tokenBroker?.requestCount).toBe(1);
    const id = sim.placeInboundCall();
    await waitFor(() => ups!.callControl.activeCalls().some((c) => c.Id === id), 'the live call');
    expect((await ups.xapi.getActiveCalls()).map((c) => c.Id)).toEqual([id]);
    await stopUpstreams(ups);
    expect(ups.callControl.health().state).toBe('disconnected');
    await waitFor(() => sim!.stats.openWebSockets === 0, 'the socket to close');
  });

  it('reports missing parts as unconfigured and refuses an http:// URL to a remote host', async () => {
    ups = createUpstreams({});
    await Promise.all([ups.xapi.start(), ups.callControl.start(), ups.cdr.start()]);
    expect(ups.tokenBroker).toBeNull();
    expect([ups.xapi.health().state, ups.callControl.health().state, ups.cdr.health().state]).toEqual(['unconfigured', 'unconfigured', 'unconfigured']);
    expect(() => createUpstreams({ pbx: { baseUrl: 'http://pbx.example.com', clientId: 'a', clientSecret: 'b' } })).toThrow(/https/);
  });
});
