// A set of 3CX clients discarded while it is still connecting to a slow PBX
// (a team leader stepping down, a reconfigure, the relay stopping) must stop
// asking 3CX at once: a relay that lost the team's lock and went on fetching
// tokens would hold the client id's token beside the new leader.
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreams, stopUpstreams, type Upstreams } from '../../../relay/pbx/create-upstreams.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stopping clients that are still starting', () => {
  let sim: Simulator | null = null;
  let ups: Upstreams | null = null;
  afterEach(async () => {
    if (ups) await stopUpstreams(ups);
    await sim?.stop();
    sim = null;
    ups = null;
  });

  it('sends no token or XAPI request after the stop', async () => {
    sim = await startSimulator();
    sim.faults.latencyMs = 300;
    ups = createUpstreams(
      { pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } },
      { tuning: { requestTimeoutMs: 5000, reconnectBaseMs: 50, reconnectCapMs: 200 } },
    );
    const starting = Promise.allSettled([ups.xapi.start(), ups.callControl.start()]);
    await sleep(100);
    await stopUpstreams(ups);
    // The simulator counts a request once its delayed answer goes out: let those sent before the stop be counted.
    await sleep(500);
    const atStop = { tokens: sim.stats.tokenRequests, xapi: sim.stats.xapiRequests, callControl: sim.stats.callControlRequests };
    await starting;
    await sleep(1_500);
    expect({ tokens: sim.stats.tokenRequests, xapi: sim.stats.xapiRequests, callControl: sim.stats.callControlRequests }).toEqual(atStop);
    expect(ups.xapi.health().state).toBe('disconnected');
  });
});
