// /relay/active-calls comes from XAPI: any number of concurrent pollers share
// one upstream request and a cache of at most a second (the simulator counts
// the requests it received), and Call Control, which sees only its monitored
// DNs, merely signals changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActiveCallsService } from '../../../relay/live-calls/active-calls-service.js';
import type { ActiveCall } from '../../../relay/contract/api-types.js';
import { systemClock } from '../../../relay/core/clock.js';
import { createUpstreams, stopUpstreams, type Upstreams } from '../../../relay/pbx/create-upstreams.js';
import { pbxHealth } from '../../../relay/pbx/pbx-health.js';
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

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('XAPI only', () => {
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

// Call Control monitoring only 3 extensions (plus the route point), XAPI
// seeing every call: the list, the drop and the coverage line must not depend
// on what Call Control happens to monitor.
describe('Call Control monitoring 3 extensions', () => {
  const MONITORED = ['100', '101', '102'];
  let partial: Simulator;
  let ups: Upstreams;
  let service: ActiveCallsService;
  let published: ActiveCall[][];

  beforeAll(async () => {
    partial = await startSimulator({ seed: 11, callControlMonitors: MONITORED });
    ups = createUpstreams({ pbx: { baseUrl: partial.url, clientId: partial.clientId, clientSecret: partial.clientSecret } });
    await ups.xapi.start();
    await ups.callControl.start();
    published = [];
    service = new ActiveCallsService({
      upstreams: () => ({ xapi: ups.xapi, callcontrol: ups.callControl }),
      clock: systemClock,
      publish: (value) => published.push(value),
    });
    ups.callControl.on('calls', (value) => service.callControlChanged(value));
  });
  afterAll(async () => {
    service.close();
    await stopUpstreams(ups);
    await partial.stop();
  });

  it('lists every call the simulator has, though Call Control sees only the monitored ones', async () => {
    const unmonitored = partial.placeOutgoingCall('105', '+4930555111');
    const queued = partial.placeInboundCall({ queue: '801' });
    const monitored = partial.placeOutgoingCall('101', '+4940555222');
    await waitFor(async () => ups.callControl.activeCalls().some((c) => c.Id === monitored), 'Call Control to see the monitored call');
    expect(ups.callControl.activeCalls().map((c) => c.Id)).toEqual([monitored]);
    await new Promise((r) => setTimeout(r, 1_050));
    const r = await service.list();
    expect(r.source).toBe('xapi');
    expect(r.value.map((c) => c.Id).sort()).toEqual([unmonitored, queued, monitored].sort());
    expect(r.value).toEqual(partial.activeCalls().map((c) => ({ ...c, ServerNow: expect.any(String) })));
  });

  it('when XAPI fails, the monitored part from Call Control stands in, and says so', async () => {
    const id = partial.placeOutgoingCall('100', '+4930555999');
    await waitFor(async () => ups.callControl.activeCalls().some((c) => c.Id === id), 'Call Control to see the call');
    partial.faults.xapiForbidden = true;
    try {
      await new Promise((r) => setTimeout(r, 1_050)); // past the cached XAPI answer
      const r = await service.list();
      expect(r.source).toBe('callcontrol');
      expect(r.value.map((c) => c.Id)).toEqual(ups.callControl.activeCalls().map((c) => c.Id));
    } finally {
      partial.faults.xapiForbidden = false;
      partial.hangUp(id);
    }
  });

  it('drops a call on an unmonitored extension', async () => {
    const id = partial.placeOutgoingCall('110', '+4930555333');
    await service.drop(id);
    expect(partial.stats.droppedCallIds).toContain(id);
    expect((await service.list()).value.some((c) => c.Id === id)).toBe(false);
  });

  it('a Call Control change publishes the XAPI list (with the unmonitored calls) within a moment, without polling', async () => {
    const before = published.length;
    const other = partial.placeOutgoingCall('111', '+4930555444');
    const seen = partial.placeOutgoingCall('102', '+4930555555');
    const list = await waitFor(async () => published.slice(before).find((l) => l.some((c) => c.Id === seen)), 'a calls list with the new call', 3_000);
    // XAPI, not Call Control: the unmonitored call placed just before is in it too.
    expect(list.some((c) => c.Id === other)).toBe(true);
  });

  it('a storm of Call Control changes with pollers at 20 Hz still costs about one XAPI request per second', async () => {
    await new Promise((r) => setTimeout(r, 1_050)); // past the previous tests' requests
    const before = partial.stats.xapiRequests;
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < 2_000) {
      service.callControlChanged([{ Id: n++, Caller: '', Callee: '', Status: 'Talking', LastChangeStatus: '', EstablishedAt: null, ServerNow: '' }]);
      if (n % 25 === 0) void service.list();
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(n).toBeGreaterThan(200);
    // At 0 s, ~1 s and ~2 s at most.
    expect(partial.stats.xapiRequests - before).toBeLessThanOrEqual(3);
  });

  it('click-to-call: Call Control for a monitored extension, XAPI Users/Pbx.MakeCall for any other', async () => {
    // The real clients, observed: which one was asked to place each call.
    const asked: string[] = [];
    const observed = <T extends object>(name: string, target: T): T => new Proxy(target, {
      get(t, key) {
        const v = Reflect.get(t, key, t) as unknown;
        if (key !== 'makeCall' || typeof v !== 'function') return typeof v === 'function' ? v.bind(t) : v;
        return (...args: unknown[]) => {
          asked.push(`${name}:${String(args[0])}`);
          return (v as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
    const routing = new ActiveCallsService({
      upstreams: () => ({ xapi: observed('xapi', ups.xapi), callcontrol: observed('callcontrol', ups.callControl) }),
      clock: systemClock,
    });
    const viaCc = await routing.makeCall('100', '+4930666111');
    const viaXapi = await routing.makeCall('107', '+4930666222');
    expect(asked).toEqual(['callcontrol:100', 'xapi:107']);
    const ids = partial.activeCalls().map((c) => String(c.Id));
    expect(ids).toEqual(expect.arrayContaining([viaCc.callId, viaXapi.callId]));
    routing.close();
  });

  it('shows "Call Control monitors 3 of 40 extensions" (40 from XAPI Users), and where to add the rest', async () => {
    const token = await ups.tokenBroker!.getToken();
    const users = (await (await fetch(`${partial.url}/xapi/v1/Users`, { headers: { authorization: `Bearer ${token}` } })).json()) as { value: unknown[] };
    const m = users.value.length;
    expect(m).toBe(40);
    const { callControlCoverage } = pbxHealth({ xapi: ups.xapi, callControl: ups.callControl });
    expect(callControlCoverage).toEqual({
      monitoredExtensions: 3,
      totalExtensions: m,
      summary: `Call Control monitors 3 of ${m} extensions`,
      hint: expect.stringMatching(/Admin Console → Integrations → API → .*monitored extensions/),
    });
  });
});
