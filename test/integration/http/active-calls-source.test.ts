// /relay/active-calls without a live Call Control socket: XAPI answers, and
// any number of concurrent pollers share one upstream request and a cache of
// at most a second (the simulator counts the requests it received).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActiveCallsService } from '../../../relay/live-calls/active-calls-service.js';
import { systemClock } from '../../../relay/core/clock.js';
import { createUpstreams, stopUpstreams, type Upstreams } from '../../../relay/pbx/create-upstreams.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';

let sim: Simulator;
let upstreams: Upstreams;
let calls: ActiveCallsService;
beforeAll(async () => {
  sim = await startSimulator({ seed: 5, callControlMonitors: 'all' });
  upstreams = createUpstreams({ pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } });
  await upstreams.xapi.start();
  // Only XAPI: as when the Call Control socket is down.
  calls = new ActiveCallsService({ upstreams: () => ({ xapi: upstreams.xapi }), clock: systemClock });
});
afterAll(async () => {
  await stopUpstreams(upstreams);
  await sim.stop();
});

describe('XAPI fallback', () => {
  it('answers from XAPI, equal to the simulator', async () => {
    const id = sim.placeInboundCall();
    await new Promise((r) => setTimeout(r, 1_050)); // past any cache from start()
    const r = await calls.list();
    expect(r.source).toBe('xapi');
    expect(r.value).toEqual(sim.activeCalls().map((c) => ({ ...c, ServerNow: expect.any(String) })));
    expect(r.value.some((c) => c.Id === id)).toBe(true);
  });

  it('100 concurrent pollers cost one upstream request; the answer is reused for at most a second', async () => {
    await new Promise((r) => setTimeout(r, 1_050));
    const before = sim.stats.xapiRequests;
    const answers = await Promise.all(Array.from({ length: 100 }, () => calls.list()));
    expect(sim.stats.xapiRequests - before).toBe(1);
    expect(new Set(answers.map((a) => a.asOf)).size).toBe(1);
    await calls.list();
    expect(sim.stats.xapiRequests - before).toBe(1);
    await new Promise((r) => setTimeout(r, 1_050));
    await Promise.all(Array.from({ length: 20 }, () => calls.list()));
    expect(sim.stats.xapiRequests - before).toBe(2);
  });

  it('polling at 20 Hz for 3 s costs at most one request per second', async () => {
    const before = sim.stats.xapiRequests;
    const started = Date.now();
    while (Date.now() - started < 3_000) {
      await Promise.all([calls.list(), calls.list()]);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(sim.stats.xapiRequests - before).toBeLessThanOrEqual(4);
  });

  it('a drop through XAPI reaches the simulator and the next answer no longer shows the call', async () => {
    const id = sim.placeInboundCall();
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await calls.list()).value.some((c) => c.Id === id)).toBe(true);
    await calls.drop(id);
    expect(sim.stats.droppedCallIds).toContain(id);
    expect((await calls.list()).value.some((c) => c.Id === id)).toBe(false);
    await expect(calls.drop(424242)).rejects.toMatchObject({ status: 404 });
  });

  it('neither upstream configured: a 502 saying what to set up', async () => {
    const none = new ActiveCallsService({ upstreams: () => ({}), clock: systemClock });
    await expect(none.list()).rejects.toMatchObject({ status: 502, code: 'upstream_unconfigured' });
    await expect(none.makeCall('101', '102')).rejects.toMatchObject({ status: 502 });
  });
});
