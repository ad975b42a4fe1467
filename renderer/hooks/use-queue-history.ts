// Calls waiting over the last hour and the service level over the day, for
// the charts. The relay keeps no history of these figures, so this screen
// collects them from the frames and polls it sees while it is open.
import { useEffect, useState } from 'react';
import type { QueueFigures } from '../../relay/contract/supervisor-types.js';

export interface QueueSample {
  at: number;
  /** Calls waiting across all queues. */
  waiting: number;
  /** Today's service level across all queues, weighted by their calls; null before any call. */
  serviceLevel: number | null;
}

export interface QueueHistory {
  /** One per RECENT_STEP_MS, the last hour. */
  recent: QueueSample[];
  /** One per DAY_STEP_MS, since local midnight. */
  day: QueueSample[];
}

export const RECENT_STEP_MS = 10_000;
export const RECENT_SPAN_MS = 3_600_000;
export const DAY_STEP_MS = 300_000;

export function sampleQueues(queues: readonly QueueFigures[], at: number): QueueSample {
  let waiting = 0;
  let weighted = 0;
  let calls = 0;
  for (const q of queues) {
    waiting += q.callsWaiting.value;
    const n = q.answeredToday.value + q.abandonedToday.value;
    if (q.serviceLevelToday.value !== null && n > 0) {
      weighted += q.serviceLevelToday.value * n;
      calls += n;
    }
  }
  return { at, waiting, serviceLevel: calls > 0 ? weighted / calls : null };
}

function append(list: QueueSample[], sample: QueueSample, stepMs: number, since: number): QueueSample[] {
  const kept = list.filter((s) => s.at >= since);
  const last = kept[kept.length - 1];
  // One sample per step: within a step the newest replaces the last, so the line ends at the latest figure.
  if (last && Math.floor(last.at / stepMs) === Math.floor(sample.at / stepMs)) return [...kept.slice(0, -1), sample];
  return [...kept, sample];
}

export function recordSample(history: QueueHistory, sample: QueueSample): QueueHistory {
  const midnight = new Date(sample.at);
  midnight.setHours(0, 0, 0, 0);
  return {
    recent: append(history.recent, sample, RECENT_STEP_MS, sample.at - RECENT_SPAN_MS),
    day: append(history.day, sample, DAY_STEP_MS, midnight.getTime()),
  };
}

export function useQueueHistory(queues: readonly QueueFigures[] | undefined): QueueHistory {
  const [history, setHistory] = useState<QueueHistory>({ recent: [], day: [] });
  useEffect(() => {
    if (queues === undefined || queues.length === 0) return;
    setHistory((h) => recordSample(h, sampleQueues(queues, Date.now())));
  }, [queues]);
  return history;
}
