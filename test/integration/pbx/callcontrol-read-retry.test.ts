// A participant read that fails is not lost: 3CX sends no second frame for a
// call that simply goes on, so the client retries the read with backoff, and
// after repeated failures reads the whole state again (GET /callcontrol).
// Also: click-to-call uses the devices/{id} form when the DN has a phone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallControlClient, type CallControlClientOptions } from '../../../relay/pbx/callcontrol-client.js';
import { TokenBroker } from '../../../relay/pbx/token-broker.js';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';
import { startHoldingProxy } from './holding-proxy.js';
import { startKit, waitFor, type Kit } from './pbx-test-kit.js';

describe('Call Control participant reads', () => {
  let kit: Kit;
  let faults: UpstreamFault[];
  let frames: number;

  beforeEach(async () => {
    kit = await startKit();
    faults = [];
    frames = 0;
  });
  afterEach(async () => {
    await kit.close();
  });

  async function client(over: Partial<CallControlClientOptions> = {}): Promise<CallControlClient> {
    const cc = kit.own(new CallControlClient({ broker: kit.broker(), timeoutMs: 2000, random: () => 0.5, ...over }));
    cc.on('fault', (f) => faults.push(f));
    cc.on('event', () => void frames++);
    await cc.start();
    expect(cc.health().state).toBe('connected');
    return cc;
  }

  it('one failed read while a call starts: the call is listed within seconds, without a further frame', async () => {
    const cc = await client();
    kit.sim.faults.failParticipantReads = 1;
    // An inbound call to a queue: one participant, one frame, and then nothing while it waits.
    const id = kit.sim.placeInboundCall();
    await waitFor(() => kit.sim.faults.failParticipantReads === 0, 'the failed read');
    await waitFor(() => frames === 1, 'the one frame');
    await waitFor(() => cc.activeCalls().some((c) => c.Id === id), 'the call, after the retry', 3_000);
    expect(frames).toBe(1);
    // A read that healed is logged, not an error-feed entry (the chaos suite counts those per fault).
    expect(faults).toEqual([]);
  });

  it('after repeated failures it reads the full state again, and the call is listed', async () => {
    const cc = await client({ readRetries: 2, readRetryBackoff: { baseMs: 20, capMs: 40 } });
    const fullReadsBefore = kit.sim.stats.callControlRequests;
    kit.sim.faults.failParticipantReads = 100;
    const id = kit.sim.placeInboundCall();
    await waitFor(() => cc.activeCalls().some((c) => c.Id === id), 'the call, after the resync', 3_000);
    // One frame read + two retries failed, then GET /callcontrol.
    expect(100 - kit.sim.faults.failParticipantReads).toBe(3);
    expect(kit.sim.stats.callControlRequests - fullReadsBefore).toBe(4);
    expect(frames).toBe(1);
    expect(faults).toEqual([]);
  });

  it('a removal of the participant cancels its pending retry', async () => {
    const cc = await client({ readRetryBackoff: { baseMs: 1_000, capMs: 1_000 } });
    kit.sim.faults.failParticipantReads = 1;
    const id = kit.sim.placeInboundCall();
    await waitFor(() => kit.sim.faults.failParticipantReads === 0, 'the failed read');
    const requests = kit.sim.stats.callControlRequests;
    kit.sim.hangUp(id);
    await waitFor(() => frames === 2, 'the removal frame');
    // The retry was due after 500 ms (random 0.5 of 1 s): it must not happen.
    await new Promise((r) => setTimeout(r, 800));
    expect(kit.sim.stats.callControlRequests - requests).toBe(0);
    expect(cc.activeCalls()).toEqual([]);
  });
});

describe('click-to-call through Call Control', () => {
  it('uses devices/{id}/makecall when the DN has a registered phone, and the plain form otherwise', async () => {
    const kit = await startKit();
    const proxy = await startHoldingProxy(kit.sim.url);
    const paths: string[] = [];
    proxy.hold = (method, path) => {
      if (method === 'POST') paths.push(path);
      return false;
    };
    try {
      const broker = kit.own(new TokenBroker({ config: { baseUrl: proxy.url, clientId: kit.sim.clientId, clientSecret: kit.sim.clientSecret }, timeoutMs: 2000 }));
      const cc = kit.own(new CallControlClient({ broker, timeoutMs: 2000 }));
      await cc.start();
      const device = cc.monitoredDns()!.find((d) => d.dn === '104')!.deviceIds[0]!;
      expect(device).toMatch(/^sip:104@/);
      const made = await cc.makeCall('104', '+4989123456');
      expect(kit.sim.activeCalls().some((c) => String(c.Id) === made.callId)).toBe(true);
      expect(paths.filter((p) => p.includes('makecall'))).toEqual([`/callcontrol/104/devices/${encodeURIComponent(device)}/makecall`]);
      // The route point has no device: the plain form (the simulator places the call from it).
      const rp = cc.monitoredDns()!.find((d) => d.dn === kit.sim.clientId)!;
      expect(rp.deviceIds).toEqual([]);
      await cc.makeCall(kit.sim.clientId, '101').catch(() => undefined);
      expect(paths.filter((p) => p.includes('makecall')).at(-1)).toBe(`/callcontrol/${kit.sim.clientId}/makecall`);
    } finally {
      await proxy.close();
      await kit.close();
    }
  });
});
