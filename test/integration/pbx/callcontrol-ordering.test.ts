// Call Control under bursts, against the real simulator with slow REST:
// frames are passed on at once and in order, participant reads run side by
// side, results land in frame order (removals win), a reconnect drops what
// the old socket still had in flight, and the coalesced call list always
// ends on the final state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveCall } from '../../../relay/contract/api-types.js';
import { CallControlClient, type CallControlClientOptions } from '../../../relay/pbx/callcontrol-client.js';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';
import { startHoldingProxy } from './holding-proxy.js';
import { callEssence, startKit, waitFor, type Kit } from './pbx-test-kit.js';

const AGENTS = ['101', '102', '103', '104'];

/** Comparable form of a call list (see callEssence). */
const essence = (calls: readonly ActiveCall[]) => JSON.stringify(callEssence(calls));

describe('Call Control client under bursts', () => {
  let kit: Kit;
  // What the client under test emitted, reset per test.
  const seen = {
    faults: [] as UpstreamFault[],
    events: [] as Array<{ sequence?: number; event: { event_type: number; entity: string } }>,
    lists: [] as ActiveCall[][],
  };
  const { faults, events, lists } = seen;

  beforeEach(async () => {
    kit = await startKit();
    for (const list of Object.values(seen)) list.length = 0;
  });
  afterEach(async () => {
    await kit.close();
    expect(kit.sim.stats.openWebSockets).toBe(0);
  });

  function client(over: Partial<CallControlClientOptions> = {}): CallControlClient {
    const options = { broker: kit.broker(), timeoutMs: 5000, backoff: { baseMs: 20, capMs: 200 }, random: () => 0.5, ...over };
    return kit.own(new CallControlClient(options))
      .on('fault', (f) => faults.push(f))
      .on('event', (e) => events.push(e as (typeof events)[number]))
      .on('calls', (c) => lists.push(c));
  }

  /** Many scenario steps in one tick: every call goes through queue, ring, answer, and half of them end. */
  function burst(calls: number): number[] {
    const ids: number[] = [];
    for (let i = 0; i < calls; i++) ids.push(kit.sim.placeInboundCall({ from: `+49301000${String(i).padStart(3, '0')}` }));
    ids.forEach((id, i) => kit.sim.ring(id, AGENTS[i % AGENTS.length]!));
    ids.forEach((id, i) => kit.sim.answer(id, AGENTS[i % AGENTS.length]!));
    ids.filter((_, i) => i % 2 === 0).forEach((id) => kit.sim.hangUp(id));
    return ids;
  }

  it('passes frames on in sequence order, reads side by side and ends on the simulator\'s list', async () => {
    const latencyMs = 40;
    const cc = client();
    await cc.start();
    expect(lists).toHaveLength(1);
    kit.sim.faults.latencyMs = latencyMs;
    const t0 = Date.now();
    burst(24);
    await waitFor(() => events.length > 0 && essence(cc.activeCalls()) === essence(kit.sim.activeCalls()) && essence(lists.at(-1) ?? []) === essence(kit.sim.activeCalls()), 'the final list', 15_000);
    const took = Date.now() - t0;

    const upserts = events.filter((e) => e.event.event_type === 0).length;
    expect(upserts).toBeGreaterThan(50);
    // The frames arrived (and were passed on) in the order 3CX numbered them, none lost.
    const seqs = events.map((e) => e.sequence!);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    // One read after another would take upserts × latency; side by side it is a fraction.
    expect(took).toBeLessThan((upserts * latencyMs) / 3);
    // Coalesced: far fewer lists than changes, and the last one is the final state.
    expect(lists.length - 1).toBeLessThan(upserts / 3);
    expect(cc.activeCalls()).toHaveLength(12);
    expect(faults).toEqual([]);
  });

  it('a removal after an upsert of the same participant wins, whatever the slow read answers', async () => {
    const cc = client();
    await cc.start();
    kit.sim.faults.latencyMs = 60;
    const ids = [kit.sim.placeInboundCall(), kit.sim.placeInboundCall(), kit.sim.placeInboundCall()];
    kit.sim.answer(ids[1]!, '102');
    ids.forEach((id) => kit.sim.hangUp(id));
    const kept = kit.sim.placeOutgoingCall('103', '+4930999000');
    await waitFor(() => events.length > 0 && essence(cc.activeCalls()) === essence(kit.sim.activeCalls()) && lists.at(-1)?.length === 1, 'the one remaining call', 10_000);
    // Let every read still in flight land: the ended calls must not come back.
    await new Promise((r) => setTimeout(r, 200));
    expect(cc.activeCalls().map((c) => c.Id)).toEqual([kept]);
    expect(lists.at(-1)!.map((c) => c.Id)).toEqual([kept]);
    expect(lists.flat().some((c) => ids.includes(c.Id))).toBe(false);
    expect(events.filter((e) => e.event.event_type === 1).length).toBeGreaterThanOrEqual(3);
  });

  it('a read that answers after later ones is still applied before them: the removal after it wins', async () => {
    const proxy = await startHoldingProxy(kit.sim.url);
    try {
      const broker = kit.broker({ config: { baseUrl: proxy.url, clientId: kit.sim.clientId, clientSecret: kit.sim.clientSecret } });
      const cc = client({ broker });
      await cc.start();
      // Hold back the read of the queue leg: 3CX answers it with the call still ringing in the queue.
      proxy.hold = (method, path) => method === 'GET' && /^\/callcontrol\/800\/participants\//.test(path);
      const id = kit.sim.placeInboundCall();
      await waitFor(() => proxy.held.length === 1, 'the held read of the queue leg');
      proxy.hold = () => false;
      const reads = kit.sim.stats.callControlRequests;
      // The agent answers: the queue leg is removed and the agent's leg appears.
      kit.sim.answer(id, '102');
      await waitFor(() => events.some((e) => e.event.event_type === 1), 'the later frames, passed on at once');
      await waitFor(() => kit.sim.stats.callControlRequests > reads, 'the agent leg read, sent while the first is held');
      await new Promise((r) => setTimeout(r, 100));
      // Later reads have answered, yet nothing is applied ahead of the held one.
      expect(cc.activeCalls()).toEqual([]);
      proxy.release();
      await waitFor(() => essence(cc.activeCalls()) === essence(kit.sim.activeCalls()) && cc.activeCalls().length === 1, 'the call, talking');
      await new Promise((r) => setTimeout(r, 100));
      // The stale "ringing in the queue" answer did not resurrect the removed leg.
      expect(cc.activeCalls()[0]).toMatchObject({ Id: id, Status: 'Talking', Callee: expect.stringMatching(/^102/) });
      expect(essence(lists.at(-1)!)).toBe(essence(kit.sim.activeCalls()));
      expect(faults).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('a reconnect while reads are in flight drops them and resyncs to the simulator\'s list', async () => {
    const cc = client();
    await cc.start();
    kit.sim.faults.latencyMs = 150;
    burst(8);
    await waitFor(() => events.length >= 8, 'frames of the burst (their reads still in flight)');
    const before = kit.sim.stats.callControlRequests;
    await cc.reconnect();
    expect(cc.health().state).toBe('connected');
    // The resync emitted the full list at once, and it is the simulator's.
    expect(essence(lists.at(-1)!)).toBe(essence(kit.sim.activeCalls()));
    expect(kit.sim.stats.callControlRequests).toBeGreaterThan(before);
    kit.sim.faults.latencyMs = 0;
    const id = kit.sim.placeInboundCall();
    await waitFor(() => cc.activeCalls().some((c) => c.Id === id) && essence(lists.at(-1) ?? []) === essence(kit.sim.activeCalls()), 'events on the new socket');
    await new Promise((r) => setTimeout(r, 200));
    expect(essence(cc.activeCalls())).toBe(essence(kit.sim.activeCalls()));
    expect(kit.sim.stats.wsConnections).toBe(2);
  });

  it('with coalescing off, every change is its own list', async () => {
    const cc = client({ callsCoalesceMs: 0 });
    await cc.start();
    // Within 25 ms of each other: a coalescing client would fold some of these lists together.
    const id = kit.sim.placeInboundCall();
    await waitFor(() => lists.at(-1)?.[0]?.Status === 'Routing', 'routing');
    kit.sim.ring(id, '102');
    await waitFor(() => lists.at(-1)?.[0]?.Status === 'Ringing', 'ringing');
    kit.sim.answer(id);
    await waitFor(() => lists.at(-1)?.[0]?.Status === 'Talking', 'talking');
    kit.sim.hangUp(id);
    await waitFor(() => lists.at(-1)?.length === 0, 'the end');
    // An answer changes two participants (queue leg gone, agent connected), each its own list:
    // the call may show Transferring for one of them, as it would without coalescing.
    const statuses = lists.map((l) => l[0]?.Status ?? 'none');
    const distinct = statuses.filter((s, i) => s !== statuses[i - 1]);
    expect(distinct.slice(0, 3)).toEqual(['none', 'Routing', 'Ringing']);
    expect(distinct.slice(-2)).toEqual(['Talking', 'none']);
    expect(lists.length).toBeGreaterThan(5);
  });
});
