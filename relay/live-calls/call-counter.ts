// "Calls today", "events today" and calls per hour for the dashboard: counted
// from the live frames (a call counts once, when its id first appears in a
// `calls` list) into the store's day counters, which survive restarts.
// Calls seen only through XAPI polling are not counted: the figures come from
// the Call Control stream.
import type { ActiveCall } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import { localHour } from '../core/local-day.js';

export const CALL_EVENTS_COUNTER = 'call_events';
export const CALLS_COUNTER = 'calls';
/** The counter of one local hour of the day (0..23), kept under the local day. */
export const hourCounter = (hour: number): string => `calls_hour_${String(hour).padStart(2, '0')}`;

export interface DayCounterSink { count(name: string, n?: number, at?: number): void }

interface FrameLike { type: string; value?: ActiveCall[] }

export interface FrameSubscription { subscribe(listener: (frame: FrameLike) => void): () => void }

export class CallCounter {
  private seen = new Set<number>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly hub: FrameSubscription, private readonly sink: DayCounterSink, private readonly clock: Clock) {}

  start(): void {
    this.unsubscribe ??= this.hub.subscribe((frame) => this.onFrame(frame));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private onFrame(frame: FrameLike): void {
    if (frame.type === 'call_event') {
      this.sink.count(CALL_EVENTS_COUNTER, 1);
      return;
    }
    if (frame.type !== 'calls' || !frame.value) return;
    const now = this.clock.now();
    const current = new Set<number>();
    let fresh = 0;
    for (const call of frame.value) {
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
