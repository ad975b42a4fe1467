// "Calls today", "events today" and calls per hour for the dashboard: counted
// from the live Call Control stream (a call counts once, when its id first
// appears in a call list) into the store's day counters, which survive
// restarts. The live-call bridge feeds it; it lives as long as the running
// relay, so a call still up across a reconfigure is not counted twice.
// Calls seen only through XAPI polling are not counted.
import type { ActiveCall } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import { localHour } from '../core/local-day.js';
import type { LiveCallObserver } from './live-call-bridge.js';

export const CALL_EVENTS_COUNTER = 'call_events';
export const CALLS_COUNTER = 'calls';
/** The counter of one local hour of the day (0..23), kept under the local day. */
export const hourCounter = (hour: number): string => `calls_hour_${String(hour).padStart(2, '0')}`;

/** The store's day counters (buffered and written with the request log's flush). */
export interface DayCounterSink { count(name: string, n?: number, at?: number): void }

export class CallCounter implements LiveCallObserver {
  private seen = new Set<number>();

  constructor(private readonly sink: DayCounterSink, private readonly clock: Clock) {}

  callEvent(): void {
    this.sink.count(CALL_EVENTS_COUNTER, 1);
  }

  callList(calls: readonly ActiveCall[]): void {
    const now = this.clock.now();
    const current = new Set<number>();
    let fresh = 0;
    for (const call of calls) {
      current.add(call.Id);
      if (!this.seen.has(call.Id)) fresh++;
    }
    // Keep only ids still active, so memory follows the live list, not history.
    this.seen = current;
    if (fresh === 0) return;
    this.sink.count(CALLS_COUNTER, fresh, now);
    this.sink.count(hourCounter(localHour(now)), fresh, now);
  }
}
