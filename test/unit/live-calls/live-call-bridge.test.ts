import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActiveCall } from '../../../relay/contract/api-types.js';
import { CALL_EVENTS_COUNTER, CALLS_COUNTER, CallCounter, hourCounter } from '../../../relay/live-calls/call-counter.js';
import { EventHub, type HubFrame } from '../../../relay/events/event-hub.js';
import { LiveCallBridge } from '../../../relay/live-calls/live-call-bridge.js';
import { ManualClock } from '../../support/manual-clock.js';
import { HandDrivenComponent } from '../monitor/monitor-fixtures.js';

const call = (Id: number): ActiveCall => ({
  Id, Caller: '100', Callee: '+4412345', Status: 'Talking', LastChangeStatus: '2026-11-02T09:00:00Z', EstablishedAt: '2026-11-02T09:00:00Z', ServerNow: '2026-11-02T09:00:01Z',
});

let clock: ManualClock;
let hub: EventHub;
let frames: HubFrame[];
let cc: HandDrivenComponent;
let counts: Map<string, number>;
let bridge: LiveCallBridge;

beforeEach(() => {
  clock = new ManualClock();
  hub = new EventHub({ clock });
  frames = [];
  hub.subscribe((f) => frames.push(f));
  cc = new HandDrivenComponent('callcontrol', clock);
  counts = new Map();
  const sink = { count: (name: string, n = 1) => void counts.set(name, (counts.get(name) ?? 0) + n) };
  bridge = new LiveCallBridge({ callControl: cc, hub, observer: new CallCounter(sink, clock) });
});
afterEach(() => bridge.stop());

describe('LiveCallBridge', () => {
  it('publishes Call Control events and call lists as frames, in order', () => {
    bridge.start();
    cc.emit('event', { event: { event_type: 0, entity: '/callcontrol/100/participants/7' } });
    cc.emit('calls', [call(7)]);
    const [ev, list] = frames;
    expect(ev).toMatchObject({ type: 'call_event', data: { event: { entity: '/callcontrol/100/participants/7' } } });
    expect(list).toMatchObject({ type: 'calls', value: [call(7)] });
    expect(list!.seq).toBe(ev!.seq + 1);
  });

  it('counts events, and each call once while it stays in the list', () => {
    bridge.start();
    cc.emit('event', {});
    cc.emit('calls', [call(7)]);
    cc.emit('calls', [call(7), call(8)]);
    cc.emit('calls', [call(8)]);
    expect(counts.get(CALL_EVENTS_COUNTER)).toBe(1);
    expect(counts.get(CALLS_COUNTER)).toBe(2);
    expect(counts.get(hourCounter(new Date(clock.now()).getUTCHours()))).toBe(2);
  });

  it('before start and after stop it neither publishes nor counts', () => {
    cc.emit('calls', [call(1)]);
    bridge.start();
    bridge.start(); // idempotent: one frame per change, not two
    cc.emit('calls', [call(2)]);
    bridge.stop();
    cc.emit('event', { late: true });
    cc.emit('calls', [call(3)]);
    expect(frames.map((f) => f.type === 'calls' && f.value.map((c) => c.Id))).toEqual([[2]]);
    expect(counts.get(CALLS_COUNTER)).toBe(1);
    expect(counts.has(CALL_EVENTS_COUNTER)).toBe(false);
  });
});
