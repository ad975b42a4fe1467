import { describe, expect, it } from 'vitest';
import type { ErrorEntry } from '../../../relay/contract/api-types.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { EventHub, type HubFrame, type WireFrame } from '../../../relay/events/event-hub.js';

const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const clockAt = (start: number) => {
  let t = start;
  return { now: () => t, setTimeout: () => ({ cancel() {} }), tick: (ms: number) => void (t += ms) };
};
const entry: ErrorEntry = {
  id: 1, at: '2026-11-02T09:00:00.000Z', component: 'xapi', severity: 'error', message: 'boom', details: null,
  acknowledged: false, acknowledgedAt: null, acknowledgedBy: null, occurrences: 1, lastAt: '2026-11-02T09:00:00.000Z',
};

describe('EventHub', () => {
  it('stamps each frame with the next global seq and the clock time', () => {
    const clock = clockAt(T0);
    const hub = new EventHub({ clock });
    expect(hub.latestSeq).toBe(0);
    const a = hub.publish({ type: 'call_event', data: { n: 1 } });
    clock.tick(1500);
    const b = hub.publish({ type: 'calls', value: [] });
    const c = hub.publish({ type: 'connection_state', data: { component: 'xapi', state: 'connected', latencyMs: 3, error: null } });
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect(a.at).toBe('2026-11-02T09:00:00.000Z');
    expect(b.at).toBe('2026-11-02T09:00:01.500Z');
    expect(hub.latestSeq).toBe(3);
  });

  it('replays from its ring and asks for a resync past it', () => {
    const hub = new EventHub({ capacity: 4 });
    for (let i = 1; i <= 10; i++) hub.publish({ type: 'call_event', data: i });
    const r = hub.since(7);
    expect(r.kind === 'frames' && r.frames.map((f) => [f.seq, (JSON.parse(f.bytes.toString('utf8')) as { data: unknown }).data])).toEqual([[8, 8], [9, 9], [10, 10]]);
    expect(hub.since(5).kind).toBe('resync_required');
    expect(hub.oldestSeq).toBe(7);
  });

  it('hands subscribers the frame and its wire form, serialised once and kept for replay', () => {
    const hub = new EventHub({ clock: clockAt(T0) });
    const got: [HubFrame, WireFrame][] = [];
    hub.subscribe((f, w) => got.push([f, w]));
    hub.subscribe((_f, w) => expect(w).toBe(got.at(-1)![1]));
    const published = hub.publish({ type: 'calls', value: [] });
    expect(got[0]![0]).toBe(published);
    expect(got[0]![1]).toMatchObject({ seq: 1, type: 'calls' });
    expect(JSON.parse(got[0]![1].bytes.toString('utf8'))).toEqual({ type: 'calls', value: [], seq: 1, at: '2026-11-02T09:00:00.000Z' });
    const r = hub.since(0);
    expect(r.kind === 'frames' && r.frames[0]).toBe(got[0]![1]);
  });

  it('defaults to a buffer of at least 10,000 frames', () => {
    const hub = new EventHub();
    expect(hub.capacity).toBeGreaterThanOrEqual(10_000);
    for (let i = 0; i < 10_000; i++) hub.publish({ type: 'call_event', data: i });
    const r = hub.since(0);
    expect(r.kind === 'frames' && r.frames.length).toBe(10_000);
  });

  it('delivers to subscribers in order until they unsubscribe', () => {
    const hub = new EventHub();
    const got: number[] = [];
    const off = hub.subscribe((f) => got.push(f.seq));
    hub.publish({ type: 'call_event', data: 1 });
    hub.publish({ type: 'call_event', data: 2 });
    off();
    hub.publish({ type: 'call_event', data: 3 });
    expect(got).toEqual([1, 2]);
    expect(hub.subscriberCount).toBe(0);
  });

  it('keeps error_logged frames out of the sequence and the replay buffer', () => {
    const hub = new EventHub();
    const got: HubFrame[] = [];
    hub.subscribe((f) => got.push(f));
    hub.publish({ type: 'call_event', data: 1 });
    const e = hub.publish({ type: 'error_logged', data: entry });
    hub.publish({ type: 'call_event', data: 2 });
    expect(e.seq).toBe(1); // the seq it follows
    expect(got.map((f) => `${f.type}:${f.seq}`)).toEqual(['call_event:1', 'error_logged:1', 'call_event:2']);
    const r = hub.since(0);
    expect(r.kind === 'frames' && r.frames.map((f) => f.type)).toEqual(['call_event', 'call_event']);
  });

  it('a throwing subscriber is logged and does not starve the others', () => {
    const sink = memorySink();
    const hub = new EventHub({ logger: createLogger(sink) });
    const got: number[] = [];
    hub.subscribe(() => { throw new Error('bad listener'); });
    hub.subscribe((f) => got.push(f.seq));
    hub.publish({ type: 'call_event', data: 1 });
    expect(got).toEqual([1]);
    expect(sink.records.some((r) => r.msg === 'frame listener threw')).toBe(true);
  });

  it('the same listener subscribed twice has two independent subscriptions; close() drops all', () => {
    const hub = new EventHub();
    let n = 0;
    const listener = () => void n++;
    const off1 = hub.subscribe(listener);
    hub.subscribe(listener);
    hub.publish({ type: 'call_event', data: 1 });
    off1();
    hub.publish({ type: 'call_event', data: 2 });
    hub.close();
    hub.publish({ type: 'call_event', data: 3 });
    expect(n).toBe(3);
  });

  describe('frames stamped elsewhere (team mode)', () => {
    it('deliver() keeps the given seq and bytes, replays them, and refuses a gap', () => {
      const hub = new EventHub();
      const got: number[] = [];
      hub.subscribe((f) => got.push(f.seq));
      const bytes = Buffer.from('{"type":"calls","value":[],"seq":1,"at":"2026-11-02T09:00:00.000Z"}');
      const wire = hub.deliver({ type: 'calls', value: [], seq: 1, at: '2026-11-02T09:00:00.000Z' }, bytes);
      expect(wire.bytes).toBe(bytes);
      expect(() => hub.deliver({ type: 'call_event', data: 3, seq: 3, at: '2026-11-02T09:00:00.000Z' })).toThrow(RangeError);
      hub.deliver({ type: 'call_event', data: 2, seq: 2, at: '2026-11-02T09:00:00.000Z' });
      hub.deliver({ type: 'error_logged', data: entry, seq: 2, at: '2026-11-02T09:00:00.000Z' });
      expect(got).toEqual([1, 2, 2]);
      expect(hub.latestSeq).toBe(2);
      const r = hub.since(0);
      expect(r.kind === 'frames' && r.frames.map((f) => f.seq)).toEqual([1, 2]);
      expect(r.kind === 'frames' && r.frames[0]!.bytes).toBe(bytes);
    });

    it('restartAt() continues after a later seq and answers older requests with resync_required', () => {
      const hub = new EventHub();
      for (let i = 1; i <= 3; i++) hub.publish({ type: 'call_event', data: i });
      hub.restartAt(500);
      expect(hub.latestSeq).toBe(500);
      expect(hub.since(3).kind).toBe('resync_required');
      expect(hub.since(500)).toEqual({ kind: 'frames', frames: [] });
      hub.deliver({ type: 'call_event', data: 501, seq: 501, at: '2026-11-02T09:00:00.000Z' });
      const r = hub.since(500);
      expect(r.kind === 'frames' && r.frames.map((f) => f.seq)).toEqual([501]);
      expect(hub.since(499).kind).toBe('resync_required');
      expect(hub.publish({ type: 'call_event', data: 502 }).seq).toBe(502);
    });

    it('divert() hands publish() to another publisher until cleared', () => {
      const hub = new EventHub({ clock: clockAt(T0) });
      const taken: string[] = [];
      hub.divert({
        publish: (input) => {
          taken.push(input.type);
          return { ...input, seq: 41, at: 'x' } as HubFrame;
        },
      });
      expect(hub.publish({ type: 'call_event', data: 1 }).seq).toBe(41);
      expect(hub.latestSeq).toBe(0);
      expect(taken).toEqual(['call_event']);
      hub.divert(null);
      expect(hub.publish({ type: 'call_event', data: 2 }).seq).toBe(1);
    });
  });
});
