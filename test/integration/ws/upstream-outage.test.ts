// End to end inside the relay: the real upstream clients against the 3CX
// simulator and the real CDR PostgreSQL, watched by the connection monitor and
// bridged to the hub as the relay wires them (createWatchedUpstreams),
// observed through /relay/ws. A Call Control socket killed by the simulator
// must show as connection_state frames (disconnected, then connected), leave
// one error-feed entry, reach admin sockets as error_logged, and recover with
// the live call list equal to the simulator's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveCall, ConnectionStateFrame, RelayFrame } from '../../../relay/contract/api-types.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import type { ConnectionMonitor } from '../../../relay/monitor/connection-monitor.js';
import { ErrorTracker } from '../../../relay/monitor/error-tracker.js';
import { createWatchedUpstreams, type WatchedUpstreams } from '../../../relay/monitor/watched-upstreams.js';
import type { Upstreams } from '../../../relay/pbx/create-upstreams.js';
import { systemClock } from '../../../relay/core/clock.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { testPostgres } from '../../support/test-postgres.js';
import { bearer, connectOk, startWsHarness, type WsHarness } from './ws-harness.js';

let sim: Simulator;
let watched: WatchedUpstreams;
let upstreams: Upstreams;
let h: WsHarness;
let tracker: ErrorTracker;
let monitor: ConnectionMonitor;

beforeEach(async () => {
  sim = await startSimulator({ callsPerMinute: 0, seed: 7, callControlMonitors: 'all' });
  const hub = new EventHub();
  // The monitor's hello components come from the monitor; it exists only after the harness' store does.
  let components: () => ReturnType<ConnectionMonitor['components']> = () => { throw new Error('monitor not ready'); };
  h = await startWsHarness({ hub, components: () => components() });
  tracker = new ErrorTracker({ store: h.store.errors, hub });
  watched = createWatchedUpstreams(
    { pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret }, cdr: { url: testPostgres().cdrReadonlyUrl } },
    {
      hub, history: h.store.connections, errors: tracker, version: 'test', clock: systemClock, logger: silentLogger,
      tuning: { upstream: { reconnectBaseMs: 50, reconnectCapMs: 250, requestTimeoutMs: 3_000 }, monitor: { checkIntervalMs: 200 } },
    },
  );
  ({ upstreams, monitor } = watched);
  components = () => monitor.components();
  await watched.launch(Promise.resolve(), () => true);
});

afterEach(async () => {
  await watched?.stop();
  await tracker?.drain();
  await h?.close();
  await sim?.stop();
});

const ccStates = (frames: RelayFrame[]) =>
  frames.filter((f): f is ConnectionStateFrame => f.type === 'connection_state' && f.data.component === 'callcontrol').map((f) => f.data.state);
const byId = (calls: ActiveCall[]) => calls.map((c) => [c.Id, c.Status]).sort();

describe('upstream outage seen through the relay', () => {
  it('a killed Call Control socket shows as frames and one feed entry, then recovers', async () => {
    expect(monitor.health().status).toBe('ok');
    const client = await connectOk(h.url, { headers: bearer(h.readKey) });
    const admin = await connectOk(`${h.url}?ticket=${h.tickets.issue({ kind: 'admin', username: 'admin', role: 'admin' }).ticket}`);
    await Promise.all([client.waitFor((f) => f.length >= 1), admin.waitFor((f) => f.length >= 1)]);
    expect(client.frames[0]).toMatchObject({ type: 'hello', components: { callcontrol: { state: 'connected' }, xapi: { state: 'connected' }, database: { state: 'connected' } } });

    // Live calls flow as frames.
    const callId = sim.placeInboundCall();
    await client.waitFor((f) => f.some((x) => x.type === 'calls' && x.value.some((c) => c.Id === callId)));
    expect(client.frames.some((f) => f.type === 'call_event')).toBe(true);

    // While the socket is down a call is answered: the resync must pick it up.
    sim.faults.dropWebSockets();
    await client.waitFor((f) => ccStates(f).includes('disconnected'));
    sim.answer(callId);
    await client.waitFor((f) => {
      const s = ccStates(f);
      return s.lastIndexOf('connected') > s.indexOf('disconnected');
    }, 10_000);
    expect(ccStates(client.frames)).toContain('disconnected');

    // One feed entry for the outage, announced to the admin socket only.
    await tracker.drain();
    const errors = await tracker.list({ component: 'callcontrol' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/closed/);
    await admin.waitFor((f) => f.some((x) => x.type === 'error_logged' && x.data.component === 'callcontrol'));
    expect(client.frames.some((f) => f.type === 'error_logged')).toBe(false);

    // Recovered: healthy again, the resynced list equals the simulator's and went out as a calls frame.
    await client.waitFor((f) => {
      const last = f.filter((x) => x.type === 'calls').at(-1);
      return last?.type === 'calls' && JSON.stringify(byId(last.value)) === JSON.stringify(byId(sim.activeCalls()));
    });
    expect(byId(upstreams.callControl.activeCalls())).toEqual(byId(sim.activeCalls()));
    expect(monitor.health().status).toBe('ok');
    const view = await monitor.connections();
    const history = view.components.find((c) => c.component === 'callcontrol')!.history.map((e) => e.state);
    expect(history[0]).toBe('connected');
    expect(history).toContain('disconnected');

    // Every sequenced frame the integration saw is gap-free.
    const seqs = client.frames.slice(1).map((f) => f.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => client.frames[0]!.seq + 1 + i));
    await Promise.all([client.close(), admin.close()]);
  });

  it('a second drop of the same kind bumps the open entry instead of adding one', async () => {
    // Follow the state events rather than polling: on a loaded machine a
    // fast reconnect can fall between two polls and the outage goes unseen.
    for (let i = 0; i < 2; i++) {
      const recovered = new Promise<void>((resolve) => {
        let left = false;
        const onState = (current: { state: string }) => {
          if (current.state !== 'connected') left = true;
          else if (left) {
            upstreams.callControl.off('state', onState);
            resolve();
          }
        };
        upstreams.callControl.on('state', onState);
      });
      sim.faults.dropWebSockets();
      await within(recovered, 10_000);
    }
    await tracker.drain();
    const errors = await tracker.list({ component: 'callcontrol' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.occurrences).toBe(2);
  });
});

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('condition not met in time')), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
