import { describe, expect, it } from 'vitest';
import type { ErrorEntry } from '../../../relay/contract/api-types.js';
import { silentLogger } from '../../../relay/core/logger.js';
import type { HubFrame } from '../../../relay/events/event-hub.js';
import { TeamFrameWriter, type FrameBatch } from '../../../relay/team/team-frame-writer.js';
import { NOTIFY_PAYLOAD_LIMIT, parseNotice } from '../../../relay/team/team-frame-log.js';
import { ManualClock } from '../../support/manual-clock.js';

const entry: ErrorEntry = {
  id: 1, at: '2026-11-02T09:00:00.000Z', component: 'xapi', severity: 'error', message: 'boom', details: null,
  acknowledged: false, acknowledgedAt: null, acknowledgedBy: null, occurrences: 1, lastAt: '2026-11-02T09:00:00.000Z',
};

/** A writer whose log writes the test settles by hand, one batch at a time. */
function setup(opts: { nextSeq?: number; maxBatch?: number; flushDelayMs?: number; maxQueued?: number; maxQueueAgeMs?: number } = {}) {
  const clock = new ManualClock();
  const batches: { batch: FrameBatch; resolve(): void; reject(e: Error): void }[] = [];
  const delivered: HubFrame[] = [];
  const failures: unknown[] = [];
  const writer = new TeamFrameWriter({
    nextSeq: opts.nextSeq ?? 1,
    clock,
    logger: silentLogger,
    maxBatch: opts.maxBatch,
    flushDelayMs: opts.flushDelayMs,
    maxQueued: opts.maxQueued,
    maxQueueAgeMs: opts.maxQueueAgeMs,
    write: (batch) => new Promise<void>((resolve, reject) => batches.push({ batch, resolve, reject })),
    deliver: (frame) => void delivered.push(frame),
    deliveredSeq: () => delivered.filter((f) => f.type !== 'error_logged').at(-1)?.seq ?? (opts.nextSeq ?? 1) - 1,
    onFailed: (e) => void failures.push(e),
  });
  const settle = async (i: number, ok = true) => {
    if (ok) batches[i]!.resolve();
    else batches[i]!.reject(new Error('fence lost'));
    await new Promise((r) => setImmediate(r));
  };
  return { clock, writer, batches, delivered, failures, settle };
}
const seqs = (frames: { seq: number }[]) => frames.map((f) => f.seq);

describe('TeamFrameWriter', () => {
  it('stamps at once, writes a burst in one batch and delivers only after the commit, in order', async () => {
    const t = setup({ nextSeq: 41 });
    const a = t.writer.publish({ type: 'call_event', data: 1 });
    const b = t.writer.publish({ type: 'calls', value: [] });
    expect([a.seq, b.seq]).toEqual([41, 42]);
    expect(t.batches).toHaveLength(0);
    t.clock.advance(0);
    expect(t.batches).toHaveLength(1);
    expect(seqs(t.batches[0]!.batch.frames.map((f) => f.frame))).toEqual([41, 42]);
    expect(t.delivered).toEqual([]);
    await t.settle(0);
    expect(seqs(t.delivered)).toEqual([41, 42]);
    expect(t.delivered[0]).toBe(a);
  });

  it('while a batch is in flight the next gathers, and goes in one statement as soon as it commits', async () => {
    const t = setup();
    t.writer.publish({ type: 'call_event', data: 1 });
    t.clock.advance(0);
    for (let i = 2; i <= 6; i++) t.writer.publish({ type: 'call_event', data: i });
    t.clock.advance(1000);
    expect(t.batches).toHaveLength(1);
    expect(t.writer.queued).toBe(5);
    await t.settle(0);
    expect(t.batches).toHaveLength(2);
    expect(seqs(t.batches[1]!.batch.frames.map((f) => f.frame))).toEqual([2, 3, 4, 5, 6]);
    expect(seqs(t.delivered)).toEqual([1]);
    await t.settle(1);
    expect(seqs(t.delivered)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('caps a batch at maxBatch frames and waits flushDelayMs for a burst to join', async () => {
    const t = setup({ maxBatch: 2, flushDelayMs: 5 });
    for (let i = 1; i <= 5; i++) t.writer.publish({ type: 'call_event', data: i });
    t.clock.advance(4);
    expect(t.batches).toHaveLength(0);
    t.clock.advance(1);
    expect(t.batches.map((b) => b.batch.frames.length)).toEqual([2]);
    await t.settle(0);
    await t.settle(1);
    expect(t.batches.map((b) => b.batch.frames.length)).toEqual([2, 2, 1]);
    await t.settle(2);
    expect(seqs(t.delivered)).toEqual([1, 2, 3, 4, 5]);
  });

  it('notices carry small frames inline, big ones by reference, and error_logged ones in publish order', async () => {
    const t = setup();
    t.writer.publish({ type: 'call_event', data: 1 });
    const e = t.writer.publish({ type: 'error_logged', data: entry });
    t.writer.publish({ type: 'call_event', data: 'x'.repeat(NOTIFY_PAYLOAD_LIMIT) });
    // Unsequenced: delivered at once, with the seq of the last delivered frame.
    expect(t.delivered).toEqual([e]);
    expect(e.seq).toBe(0);
    t.clock.advance(0);
    const { frames, notices } = t.batches[0]!.batch;
    expect(seqs(frames.map((f) => f.frame))).toEqual([1, 2]);
    expect(notices.map((n) => parseNotice(n))).toMatchObject([
      { kind: 'frame', frame: { seq: 1, type: 'call_event' } },
      { kind: 'frame', frame: { type: 'error_logged' } },
      { kind: 'ref', seq: 2 },
    ]);
    expect(notices.every((n) => Buffer.byteLength(n) <= NOTIFY_PAYLOAD_LIMIT)).toBe(true);
  });

  it('a failed write drops that batch and everything queued, and refuses later frames', async () => {
    const t = setup();
    t.writer.publish({ type: 'call_event', data: 1 });
    t.clock.advance(0);
    await t.settle(0);
    t.writer.publish({ type: 'call_event', data: 2 });
    t.clock.advance(0);
    t.writer.publish({ type: 'call_event', data: 3 });
    await t.settle(1, false);
    expect(t.writer.failed).toBe(true);
    expect(t.failures).toHaveLength(1);
    t.writer.publish({ type: 'call_event', data: 4 });
    const e = t.writer.publish({ type: 'error_logged', data: entry });
    t.clock.advance(1000);
    await t.writer.drained();
    expect(t.batches).toHaveLength(2);
    // Only the committed frame, and the local error notice, were delivered.
    expect(t.delivered.map((f) => `${f.type}:${f.seq}`)).toEqual(['call_event:1', `error_logged:${e.seq}`]);
    expect(t.failures).toHaveLength(1);
  });

  it('close() writes what is queued, then refuses', async () => {
    const t = setup();
    t.writer.publish({ type: 'call_event', data: 1 });
    t.writer.publish({ type: 'call_event', data: 2 });
    const closed = t.writer.close();
    await new Promise((r) => setImmediate(r));
    expect(t.batches).toHaveLength(1);
    await t.settle(0);
    await closed;
    expect(seqs(t.delivered)).toEqual([1, 2]);
    t.writer.publish({ type: 'call_event', data: 3 });
    t.clock.advance(1000);
    expect(t.batches).toHaveLength(1);
  });

  it('abandon() drops the queue and does not deliver a batch that commits afterwards', async () => {
    const t = setup();
    t.writer.publish({ type: 'call_event', data: 1 });
    t.clock.advance(0);
    t.writer.publish({ type: 'call_event', data: 2 });
    t.writer.abandon();
    await t.settle(0);
    t.clock.advance(1000);
    expect(t.batches).toHaveLength(1);
    expect(t.delivered).toEqual([]);
    expect(t.failures).toEqual([]);
  });

  // A store that answers, but too slowly for the load: the queue must not grow without bound.
  it('fails (the election steps down) once more frames wait than it may queue', async () => {
    const t = setup({ maxQueued: 3 });
    t.writer.publish({ type: 'call_event', data: 0 });
    t.clock.advance(0);
    expect(t.batches).toHaveLength(1);
    for (let i = 1; i <= 3; i++) t.writer.publish({ type: 'call_event', data: i });
    expect(t.failures).toEqual([]);
    t.writer.publish({ type: 'call_event', data: 4 });
    expect(t.failures).toHaveLength(1);
    expect(t.writer.failed).toBe(true);
    expect(t.writer.queued).toBe(0);
    // The batch already in flight commits: it is in the log, so it is delivered; nothing queued after it is.
    await t.settle(0);
    expect(seqs(t.delivered)).toEqual([1]);
    t.clock.advance(1_000);
    expect(t.batches).toHaveLength(1);
  });

  it('fails once the oldest waiting frame has waited longer than it may', () => {
    const t = setup({ maxQueueAgeMs: 5_000 });
    t.writer.publish({ type: 'call_event', data: 0 });
    t.clock.advance(0);
    t.writer.publish({ type: 'call_event', data: 1 });
    t.clock.advance(4_000);
    t.writer.publish({ type: 'call_event', data: 2 });
    expect(t.failures).toEqual([]);
    t.clock.advance(1_500);
    t.writer.publish({ type: 'call_event', data: 3 });
    expect(t.failures).toHaveLength(1);
    expect(t.writer.failed).toBe(true);
  });
});
