// The chart history the wallboard collects itself: one sample per step (the
// newest wins within a step), the last hour for calls waiting, today for the
// service level weighted by each queue's calls; and polled lists merged with
// pushed items, the newer one winning.
import { describe, expect, it } from 'vitest';
import { mergeNewer } from '../../renderer/hooks/use-live-list.js';
import { recordSample, sampleQueues, type QueueHistory } from '../../renderer/hooks/use-queue-history.js';
import { queueFigures, sourced } from './support/in-memory-supervisor.js';

const T0 = new Date(2026, 10, 3, 10, 0, 0).getTime();

describe('queue history', () => {
  it('weights the service level by each queue\'s calls and adds calls waiting', () => {
    const sample = sampleQueues([
      queueFigures({ id: 1, name: 'A', callsWaiting: sourced(2), serviceLevelToday: sourced<number | null>(100), answeredToday: sourced(9), abandonedToday: sourced(1) }),
      queueFigures({ id: 2, name: 'B', callsWaiting: sourced(3), serviceLevelToday: sourced<number | null>(50), answeredToday: sourced(30), abandonedToday: sourced(0) }),
      queueFigures({ id: 3, name: 'C', serviceLevelToday: sourced<number | null>(null), answeredToday: sourced(0), abandonedToday: sourced(0) }),
    ], T0);
    expect(sample).toEqual({ at: T0, waiting: 5, serviceLevel: (100 * 10 + 50 * 30) / 40 });
  });

  it('keeps one sample per step and drops what is older than its span', () => {
    let h: QueueHistory = { recent: [], day: [] };
    h = recordSample(h, { at: T0, waiting: 1, serviceLevel: 90 });
    h = recordSample(h, { at: T0 + 4000, waiting: 2, serviceLevel: 91 }); // same 10 s step: replaces
    h = recordSample(h, { at: T0 + 12_000, waiting: 3, serviceLevel: 92 });
    expect(h.recent.map((s) => s.waiting)).toEqual([2, 3]);
    expect(h.day.map((s) => s.serviceLevel)).toEqual([92]); // one per 5 minutes
    h = recordSample(h, { at: T0 + 3_700_000, waiting: 4, serviceLevel: 93 });
    expect(h.recent.map((s) => s.waiting)).toEqual([4]);
    expect(h.day.map((s) => s.serviceLevel)).toEqual([92, 93]);
  });
});

describe('mergeNewer', () => {
  const key = (x: { k: string }) => x.k;
  const asOf = (x: { at: string }) => x.at;
  it('takes a pushed item only when it is at least as new, and adds unknown ones', () => {
    const polled = [{ k: 'a', at: '2026-11-03T10:00:05Z', v: 1 }, { k: 'b', at: '2026-11-03T10:00:05Z', v: 1 }];
    const pushed = new Map([
      ['a', { k: 'a', at: '2026-11-03T10:00:09Z', v: 2 }],
      ['b', { k: 'b', at: '2026-11-03T10:00:01Z', v: 0 }],
      ['c', { k: 'c', at: '2026-11-03T10:00:02Z', v: 3 }],
    ]);
    expect(mergeNewer(polled, pushed, key, asOf).map((x) => `${x.k}${x.v}`)).toEqual(['a2', 'b1', 'c3']);
  });
});
