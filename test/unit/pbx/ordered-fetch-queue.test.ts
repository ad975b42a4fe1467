import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OrderedFetchQueue } from '../../../relay/pbx/ordered-fetch-queue.js';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('OrderedFetchQueue', () => {
  it('applies results in push order although the reads complete in reverse', async () => {
    const q = new OrderedFetchQueue();
    const reads = [deferred<string>(), deferred<string>(), deferred<string>()];
    const applied: string[] = [];
    reads.forEach((d) => q.push(() => d.promise, (r) => applied.push(r)));
    expect(q.inFlight).toBe(3); // all started at once, none waits for the one before
    reads[2]!.resolve('c');
    reads[1]!.resolve('b');
    await tick();
    expect(applied).toEqual([]);
    reads[0]!.resolve('a');
    await tick();
    expect(applied).toEqual(['a', 'b', 'c']);
    expect(q.pending).toBe(0);
  });

  it('a removal pushed after an upsert of the same entity wins even when the upsert read answers last', async () => {
    const q = new OrderedFetchQueue();
    const state = new Map<string, string>();
    const read = deferred<string>();
    q.push(() => read.promise, (v) => state.set('p1', v));
    q.push(null, () => state.delete('p1'));
    expect(state.has('p1')).toBe(false);
    read.resolve('Ringing');
    await tick();
    expect(state.has('p1')).toBe(false);
  });

  it('never has more than `concurrency` reads in flight, and starts the next as one completes', async () => {
    const q = new OrderedFetchQueue({ concurrency: 2 });
    const reads = Array.from({ length: 5 }, () => deferred<number>());
    const applied: number[] = [];
    let started = 0;
    reads.forEach((d) => q.push(() => (started++, d.promise), (r) => applied.push(r)));
    expect(started).toBe(2);
    reads[1]!.resolve(1);
    await tick();
    expect(started).toBe(3);
    reads[0]!.resolve(0);
    reads[2]!.resolve(2);
    reads[3]!.resolve(3);
    reads[4]!.resolve(4);
    for (let i = 0; i < 5; i++) await tick();
    expect(applied).toEqual([0, 1, 2, 3, 4]);
    expect(started).toBe(5);
  });

  it('clear() discards results of reads still in flight and queued entries', async () => {
    const q = new OrderedFetchQueue();
    const stale = deferred<string>();
    const applied: string[] = [];
    q.push(() => stale.promise, (r) => applied.push(`stale ${r}`));
    q.push(null, () => applied.push('stale removal'));
    q.clear();
    expect(q.pending).toBe(0);
    q.push(() => Promise.resolve('fresh'), (r) => applied.push(r));
    stale.resolve('old');
    await q.idle();
    await tick();
    expect(applied).toEqual(['fresh']);
    expect(q.inFlight).toBe(0);
  });

  it('an apply step may clear the queue (a failed resync): later entries are dropped', async () => {
    const q = new OrderedFetchQueue();
    const applied: string[] = [];
    q.push(() => Promise.resolve('resync failed'), (r) => (applied.push(r), q.clear()));
    q.push(null, () => applied.push('frame after it'));
    await q.idle();
    await tick();
    expect(applied).toEqual(['resync failed']);
  });

  it('reports a throwing apply step or a rejecting read and carries on', async () => {
    const errors: unknown[] = [];
    const q = new OrderedFetchQueue({ onApplyError: (e) => errors.push(e) });
    const applied: number[] = [];
    q.push(() => Promise.resolve(1), () => {
      throw new Error('boom');
    });
    q.push(() => Promise.reject(new Error('read broke')), () => applied.push(2));
    q.push(() => Promise.resolve(3), (r) => applied.push(r));
    await q.idle();
    await tick();
    expect(applied).toEqual([3]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'read broke']);
  });

  it('for any completion order and concurrency, applies exactly the pushed sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 6 }), fc.infiniteStream(fc.nat()), async (n, concurrency, picks) => {
        const q = new OrderedFetchQueue({ concurrency });
        const open: Array<Deferred<number> & { i: number }> = [];
        const applied: number[] = [];
        let maxInFlight = 0;
        for (let i = 0; i < n; i++) {
          if (i % 4 === 3) q.push(null, () => applied.push(i));
          else q.push(() => {
            const d = Object.assign(deferred<number>(), { i });
            open.push(d);
            maxInFlight = Math.max(maxInFlight, open.length);
            return d.promise;
          }, (r) => applied.push(r));
        }
        const it = picks[Symbol.iterator]();
        while (open.length > 0) {
          const [d] = open.splice(it.next().value % open.length, 1);
          d!.resolve(d!.i);
          await tick();
        }
        expect(applied).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(maxInFlight).toBeLessThanOrEqual(concurrency);
      }),
      { numRuns: 60 },
    );
  });
});
