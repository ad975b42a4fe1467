import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentHealth } from '../../../relay/contract/api-types.js';
import { isRelayError } from '../../../relay/core/relay-error.js';
import { EventHub, type HubFrame } from '../../../relay/events/event-hub.js';
import { ConnectionMonitor, relayStatus } from '../../../relay/monitor/connection-monitor.js';
import { ErrorTracker } from '../../../relay/monitor/error-tracker.js';
import { ManualClock } from '../../support/manual-clock.js';
import { HandDrivenComponent, openTempStore } from './monitor-fixtures.js';

let t: Awaited<ReturnType<typeof openTempStore>>;
let clock: ManualClock;
let hub: EventHub;
let tracker: ErrorTracker;
let frames: HubFrame[];
let xapi: HandDrivenComponent;
let cc: HandDrivenComponent;
let db: HandDrivenComponent;
let monitor: ConnectionMonitor;

const settle = async () => {
  await new Promise((r) => setImmediate(r));
  await tracker.drain();
};
const stateFrames = () => frames.filter((f) => f.type === 'connection_state').map((f) => f.type === 'connection_state' && `${f.data.component}:${f.data.state}`);

beforeEach(async () => {
  t = await openTempStore();
  clock = new ManualClock();
  hub = new EventHub({ clock });
  frames = [];
  hub.subscribe((f) => frames.push(f));
  tracker = new ErrorTracker({ store: t.store.errors, hub, clock });
  xapi = new HandDrivenComponent('xapi', clock);
  cc = new HandDrivenComponent('callcontrol', clock);
  db = new HandDrivenComponent('database', clock);
  monitor = new ConnectionMonitor({
    components: { xapi, callcontrol: cc, database: db },
    history: t.store.connections,
    errors: tracker,
    hub,
    version: '9.9.9',
    clock,
    options: { checkIntervalMs: 10_000, jitter: 0.2, random: () => 0.5 },
  });
});
afterEach(async () => {
  await monitor.stop();
  await tracker.drain();
  await t.cleanup();
});

describe('ConnectionMonitor', () => {
  it('starts the components and turns every state change into a history row and a connection_state frame', async () => {
    await monitor.start();
    expect([xapi.started, cc.started, db.started]).toEqual([1, 1, 1]);
    expect(stateFrames()).toEqual(['xapi:connected', 'callcontrol:connected', 'database:connected']);
    clock.advance(1000);
    cc.set('disconnected', 'socket closed (1006)');
    await settle();
    const last = frames.filter((f) => f.type === 'connection_state').at(-1);
    expect(last).toMatchObject({ type: 'connection_state', at: '2026-11-02T09:00:01.000Z', data: { component: 'callcontrol', state: 'disconnected', latencyMs: 5, error: 'socket closed (1006)' } });
    const history = await t.store.connections.recent('callcontrol');
    // Newest first: the disconnect, the connect on start, the initial state.
    expect(history.map((h) => [h.state, h.error])).toEqual([['disconnected', 'socket closed (1006)'], ['connected', null], ['disconnected', null]]);
  });

  it('an outage without a fault gets one feed entry, however much it flaps before recovering', async () => {
    await monitor.start();
    cc.set('disconnected', 'socket closed (1006)');
    cc.set('connecting');
    cc.set('error', 'connect ECONNREFUSED 127.0.0.1:5000');
    cc.set('connecting');
    cc.set('disconnected', 'socket closed (1006)');
    await settle();
    const errors = await tracker.list();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ component: 'callcontrol', severity: 'warning', message: 'callcontrol disconnected: socket closed (1006)' });
    expect(frames.some((f) => f.type === 'error_logged')).toBe(true);
    // Recovery ends the outage; the next one is reported again (bumping the same open entry).
    cc.set('connected');
    cc.set('disconnected', 'socket closed (1006)');
    await settle();
    expect((await tracker.list())[0]!.occurrences).toBe(2);
  });

  it('when the component reports a fault with the outage, the fault is the entry', async () => {
    await monitor.start();
    xapi.set('error', '3CX rejected the client id or secret');
    xapi.fault({ severity: 'critical', message: '3CX rejected the client id or secret' });
    await settle();
    const errors = await tracker.list();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ component: 'xapi', severity: 'critical', message: '3CX rejected the client id or secret' });
  });

  it('faults outside outages are recorded too', async () => {
    await monitor.start();
    cc.fault({ severity: 'warning', message: 'malformed Call Control frame ignored', details: { sample: '{"x":' } });
    await settle();
    expect(await tracker.list()).toEqual([expect.objectContaining({ component: 'callcontrol', message: 'malformed Call Control frame ignored', details: { sample: '{"x":' } })]);
  });

  it('a manual reconnect is not an outage', async () => {
    await monitor.start();
    await monitor.reconnect('callcontrol');
    await settle();
    expect(cc.reconnects).toBe(1);
    expect(await tracker.list()).toEqual([]);
    expect(stateFrames().slice(-3)).toEqual(['callcontrol:disconnected', 'callcontrol:connecting', 'callcontrol:connected']);
  });

  it('refuses to reconnect an unconfigured component', async () => {
    const cdr = new HandDrivenComponent('database', clock, 'unconfigured');
    const m = new ConnectionMonitor({ components: { database: cdr }, history: t.store.connections, errors: tracker, hub, version: '1', clock });
    await m.start();
    const e = await m.reconnect('database').catch((x: unknown) => x);
    expect(isRelayError(e) && e.code).toBe('upstream_unconfigured');
    const missing = await m.reconnect('xapi').catch((x: unknown) => x);
    expect(isRelayError(missing) && missing.code).toBe('upstream_unconfigured');
    await m.stop();
  });

  it('probes each component on its interval, with jitter, until stopped', async () => {
    const m = new ConnectionMonitor({
      components: { xapi, callcontrol: cc, database: db }, history: t.store.connections, errors: tracker, hub, version: '1', clock,
      options: { checkIntervalMs: 10_000, jitter: 0.2, random: () => 0 }, // earliest: 8 s
    });
    await m.start();
    clock.advance(7_999);
    expect(xapi.checks).toBe(0);
    clock.advance(1);
    await settle();
    expect([xapi.checks, cc.checks, db.checks]).toEqual([1, 1, 1]);
    clock.advance(8_000);
    await settle();
    expect(xapi.checks).toBe(2);
    await m.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(60_000);
    expect(xapi.checks).toBe(2);
  });

  it('leaves the calls to the live-call bridge: Call Control events and lists are not its frames', async () => {
    await monitor.start();
    const before = frames.length;
    cc.emit('event', { event: { event_type: 0, entity: '/callcontrol/100/participants/7' } });
    cc.emit('calls', []);
    expect(frames.length).toBe(before);
  });

  it('stop() detaches first: the shutdown disconnects are neither frames nor errors', async () => {
    await monitor.start();
    const before = frames.length;
    await monitor.stop();
    expect([xapi.stopped, cc.stopped, db.stopped]).toEqual([1, 1, 1]);
    await settle();
    expect(frames.length).toBe(before);
    expect(await tracker.list()).toEqual([]);
    cc.set('error', 'late');
    expect(frames.length).toBe(before);
  });

  it('health() reports status, version, uptime and components; connections() adds history', async () => {
    await monitor.start();
    clock.advance(12_500);
    expect(monitor.health()).toMatchObject({ status: 'ok', version: '9.9.9', uptimeS: 12 });
    db.set('error', 'password authentication failed');
    const h = monitor.health();
    expect(h.status).toBe('degraded');
    expect(h.components.database).toMatchObject({ state: 'error', lastError: 'password authentication failed' });
    await settle();
    const view = await monitor.connections();
    expect(view.components.map((c) => c.component)).toEqual(['xapi', 'callcontrol', 'database']);
    const dbView = view.components[2]!;
    expect(dbView).toMatchObject({ state: 'error', lastError: 'password authentication failed' });
    expect(dbView.history[0]).toMatchObject({ state: 'error', error: 'password authentication failed' });
  });

  it('a component that is not there reads as unconfigured', async () => {
    const m = new ConnectionMonitor({ components: { database: db }, history: t.store.connections, errors: tracker, hub, version: '1', clock });
    await m.start();
    expect(m.components().xapi).toMatchObject({ state: 'unconfigured', latencyMs: null, lastError: null });
    expect(m.health().status).toBe('ok');
    await m.stop();
  });
});

describe('relayStatus', () => {
  const c = (state: ComponentHealth['state']): ComponentHealth => ({ state, latencyMs: null, lastError: null, since: '' });
  it.each([
    [['connected', 'connected', 'connected'], 'ok'],
    [['connected', 'unconfigured', 'connected'], 'ok'],
    [['connected', 'connecting', 'connected'], 'degraded'],
    [['connected', 'error', 'unconfigured'], 'degraded'],
    [['disconnected', 'error', 'connecting'], 'down'],
    [['disconnected', 'unconfigured', 'unconfigured'], 'down'],
    [['unconfigured', 'unconfigured', 'unconfigured'], 'down'],
  ] as const)('%j -> %s', (states, status) => {
    expect(relayStatus(states.map(c))).toBe(status);
  });
});
