// Call Control client against the real simulator: Bearer-authenticated
// WebSocket, live list from events, drop and makecall over REST, reconnect
// with backoff and a full resync after the simulator kills the socket,
// malformed frames reported while the client keeps going.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveCall, ComponentHealth } from '../../../relay/contract/api-types.js';
import type { Clock } from '../../../relay/core/clock.js';
import { systemClock } from '../../../relay/core/clock.js';
import type { RelayError } from '../../../relay/core/relay-error.js';
import { CallControlClient, type CallControlClientOptions } from '../../../relay/pbx/callcontrol-client.js';
import { backoffCeilingMs } from '../../../relay/pbx/reconnect-backoff.js';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';
import { callEssence as essence, recordingLogger, startKit, waitFor, type Kit } from './pbx-test-kit.js';

const BACKOFF = { baseMs: 40, capMs: 400 };

/** Records the delays the client asks its clock for (reconnect and heartbeat timers). */
function recordingClock(): Clock & { delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    now: () => Date.now(),
    setTimeout(fn, ms) {
      delays.push(ms);
      return systemClock.setTimeout(fn, ms);
    },
  };
}

describe('Call Control client', () => {
  let kit: Kit;
  let faults: UpstreamFault[];
  let states: ComponentHealth[];
  let events: unknown[];
  let lists: ActiveCall[][];

  beforeEach(async () => {
    kit = await startKit();
    faults = [];
    states = [];
    events = [];
    lists = [];
  });
  afterEach(async () => {
    await kit.close();
    expect(kit.sim.stats.openWebSockets).toBe(0);
  });

  function client(over: Partial<CallControlClientOptions> = {}): CallControlClient {
    const cc = kit.own(new CallControlClient({ broker: kit.broker(), timeoutMs: 2000, backoff: BACKOFF, random: () => 0.5, ...over }));
    cc.on('fault', (f) => faults.push(f));
    cc.on('state', (s) => states.push(s));
    cc.on('event', (e) => events.push(e));
    cc.on('calls', (c) => lists.push(c));
    return cc;
  }

  const agrees = (cc: CallControlClient) => JSON.stringify(essence(cc.activeCalls())) === JSON.stringify(essence(kit.sim.activeCalls()));

  it('connects with a Bearer token and starts from the full state', async () => {
    const existing = kit.sim.placeInboundCall();
    kit.sim.answer(existing);
    const cc = client();
    await cc.start();
    expect(cc.health().state).toBe('connected');
    expect(kit.sim.stats.wsConnections).toBe(1);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
    expect(essence(cc.activeCalls())).toEqual(essence(kit.sim.activeCalls()));
    expect(lists).toHaveLength(1);
  });

  it('updates the live list from WebSocket events as calls change', async () => {
    const cc = client();
    await cc.start();
    const id = kit.sim.placeInboundCall({ from: '+4930777888' });
    await waitFor(() => cc.activeCalls().some((c) => c.Id === id), 'the new call');
    expect(events[0]).toMatchObject({ event: { event_type: 0, entity: expect.stringMatching(/^\/callcontrol\/800\/participants\/\d+$/) } });
    expect(cc.activeCalls()[0]).toMatchObject({ Id: id, Caller: '+4930777888', Callee: '800', Status: 'Routing' });
    kit.sim.ring(id, '102');
    await waitFor(() => cc.activeCalls()[0]?.Status === 'Ringing', 'ringing');
    kit.sim.answer(id);
    await waitFor(() => cc.activeCalls()[0]?.Status === 'Talking', 'talking');
    expect(essence(cc.activeCalls())).toEqual(essence(kit.sim.activeCalls()));
    expect(cc.activeCalls()[0]!.EstablishedAt).not.toBeNull();
    kit.sim.hangUp(id);
    await waitFor(() => cc.activeCalls().length === 0, 'the call to end');
    // Lists are coalesced, but the last one emitted is always the final state.
    await waitFor(() => lists.at(-1)?.length === 0, 'the final (empty) list');
    expect(events.some((e) => (e as { event: { event_type: number } }).event.event_type === 1)).toBe(true);
  });

  it('drops a call through Call Control and places a call with makecall', async () => {
    const cc = client();
    await cc.start();
    const id = kit.sim.placeInboundCall();
    kit.sim.answer(id);
    await waitFor(() => agrees(cc) && cc.activeCalls().length === 1, 'the call');
    await cc.dropCall(id);
    expect(kit.sim.stats.droppedCallIds).toEqual([id]);
    await waitFor(() => cc.activeCalls().length === 0, 'the dropped call to vanish');
    const e = await cc.dropCall(id).then(() => null, (err: unknown) => err as RelayError);
    expect([e?.code, e?.status]).toEqual(['not_found', 404]);

    const made = await cc.makeCall('104', '+4989123456');
    expect(made.callId).toEqual(expect.any(String));
    expect(kit.sim.activeCalls()).toEqual([expect.objectContaining({ Id: Number(made.callId), Caller: '104 Elena Rossi', Status: 'Dialing' })]);
    await waitFor(() => cc.activeCalls().some((c) => String(c.Id) === made.callId && c.Status === 'Dialing'), 'the placed call');
    const unknown = await cc.makeCall('999', '123').then(() => null, (err: unknown) => err as RelayError);
    expect(unknown?.code).toBe('not_found');
  });

  it('reconnects with backoff after the simulator kills the socket, and resyncs what changed meanwhile', async () => {
    const clock = recordingClock();
    const cc = client({ clock });
    const kept = kit.sim.placeInboundCall();
    const ended = kit.sim.placeInboundCall();
    await cc.start();
    expect(cc.activeCalls()).toHaveLength(2);

    // Keep the PBX refusing for a while so several attempts fail, and change calls meanwhile:
    // none of these changes is ever sent as an event to this client.
    kit.sim.faults.status500 = true;
    kit.sim.faults.dropWebSockets();
    await waitFor(() => cc.health().state !== 'connected', 'the drop to be noticed');
    kit.sim.answer(kept);
    kit.sim.hangUp(ended);
    const placed = kit.sim.placeOutgoingCall('103', '+4930999000');
    await waitFor(() => cc.consecutiveFailures >= 4, 'several failed attempts', 10_000);
    kit.sim.faults.reset();
    await waitFor(() => cc.health().state === 'connected', 'the reconnect', 10_000);

    expect(essence(cc.activeCalls())).toEqual(essence(kit.sim.activeCalls()));
    expect(cc.activeCalls().map((c) => c.Id)).toEqual([kept, placed]);
    expect(cc.consecutiveFailures).toBe(0);
    // Reconnect delays follow the backoff: random 0.5 of a doubling ceiling, capped.
    const reconnectDelays = clock.delays.filter((ms) => ms !== 30_000);
    expect(reconnectDelays.slice(0, 4)).toEqual([0, 1, 2, 3].map((n) => Math.floor(0.5 * backoffCeilingMs(n, BACKOFF))));
    expect(Math.max(...reconnectDelays)).toBeLessThanOrEqual(BACKOFF.capMs / 2);
    // The outage was reported: the drop once as a warning, the refused attempts once as an error.
    expect(faults.map((f) => [f.severity, f.message])).toEqual([
      ['warning', expect.stringMatching(/^Call Control WebSocket closed \(code 1006\); reconnecting$/)],
      ['error', '3CX refused the Call Control WebSocket (HTTP 500)'],
    ]);
    expect(states.map((s) => s.state)).toContain('disconnected');
    expect(kit.sim.stats.wsConnections).toBe(2);
  });

  it('notices a socket that went silent (no pong, no frames) by its heartbeat, reconnects and resyncs', async () => {
    const { logger, text } = recordingLogger();
    const cc = client({ pingIntervalMs: 250, logger });
    const before = kit.sim.placeInboundCall();
    await cc.start();
    expect(cc.activeCalls().map((c) => c.Id)).toEqual([before]);

    kit.sim.faults.silentSockets = true;
    // Never announced over the silent socket: only a resync can show these.
    kit.sim.hangUp(before);
    const during = kit.sim.placeOutgoingCall('103', '+4930999111');
    await waitFor(() => kit.sim.stats.wsConnections >= 2, 'a heartbeat reconnect', 5000);
    expect(text()).toContain('missed a heartbeat');
    await waitFor(() => cc.activeCalls().map((c) => c.Id).join() === String(during) && cc.health().state === 'connected', 'the resync', 5000);
    expect(essence(cc.activeCalls())).toEqual(essence(kit.sim.activeCalls()));
    expect(states.map((s) => s.state)).toContain('connecting');

    // The PBX answers again: the socket stays, and events flow.
    kit.sim.faults.silentSockets = false;
    await waitFor(() => cc.health().state === 'connected', 'connected', 5000);
    const settled = kit.sim.stats.wsConnections;
    const after = kit.sim.placeInboundCall();
    await waitFor(() => cc.activeCalls().some((c) => c.Id === after), 'the event for a new call', 5000);
    // Three heartbeats later, still the same socket.
    await new Promise((r) => setTimeout(r, 800));
    expect(kit.sim.stats.wsConnections).toBe(settled);
    expect(cc.health().state).toBe('connected');
  });

  it('refreshes the token when the socket upgrade is refused with 401', async () => {
    const cc = client();
    await cc.start();
    const tokens = kit.sim.stats.tokenRequests;
    kit.sim.faults.expireTokens();
    kit.sim.faults.dropWebSockets();
    await waitFor(() => kit.sim.stats.wsConnections === 2 && cc.health().state === 'connected', 'the reconnect', 5000);
    expect(kit.sim.stats.tokenRequests).toBe(tokens + 1);
  });

  it('reports malformed frames as warnings and keeps processing', async () => {
    const cc = client();
    await cc.start();
    kit.sim.faults.sendMalformedFrame('not-json');
    kit.sim.faults.sendMalformedFrame('wrong-shape');
    await waitFor(() => faults.length === 2, 'two fault reports');
    expect(faults.map((f) => [f.component, f.severity])).toEqual([['callcontrol', 'warning'], ['callcontrol', 'warning']]);
    expect(faults[0]!.message).toMatch(/malformed Call Control frame ignored: frame is not JSON/);
    expect(faults[1]!.message).toMatch(/does not match the Call Control event shape/);
    const id = kit.sim.placeInboundCall();
    await waitFor(() => cc.activeCalls().some((c) => c.Id === id), 'the call after the bad frames');
    expect(cc.health().state).toBe('connected');
    expect(kit.sim.stats.wsConnections).toBe(1);
  });

  it('measures latency with a ping, and stop() closes the socket and cancels reconnects', async () => {
    const cc = client();
    await cc.start();
    await cc.check();
    expect(cc.health().latencyMs).toEqual(expect.any(Number));
    kit.sim.faults.status500 = true;
    kit.sim.faults.dropWebSockets();
    await waitFor(() => cc.consecutiveFailures >= 1, 'a failed attempt');
    await cc.stop();
    const attempts = kit.sim.stats.wsConnections;
    kit.sim.faults.reset();
    await new Promise((r) => setTimeout(r, 300));
    expect(kit.sim.stats.wsConnections).toBe(attempts);
    expect(cc.health().state).toBe('disconnected');
    await cc.stop();
  });

  it('stays unconfigured without a broker', async () => {
    const cc = new CallControlClient({ broker: null });
    await cc.start();
    await cc.check();
    expect(cc.health().state).toBe('unconfigured');
    expect(cc.activeCalls()).toEqual([]);
    await expect(cc.makeCall('100', '101')).rejects.toMatchObject({ code: 'upstream_unconfigured' });
    await cc.stop();
  });
});
