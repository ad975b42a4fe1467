// GET /admin/stats: the dashboard's overview figures, gathered from the live
// call list, the store's day counters and request log, and the error feed.
import type { Stats } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { KeyRequestStats, Severity } from '../contract/api-types.js';
import { CALL_EVENTS_COUNTER, CALLS_COUNTER, hourCounter } from '../calls/call-counter.js';

const HOUR_MS = 3_600_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface StatsSources {
  clock: Clock;
  uptimeS(): number;
  /** Current number of active calls; rejects when no upstream can tell. */
  activeCallCount(): Promise<number>;
  /** Stored day counter plus what is buffered and not yet written. */
  dayCount(name: string, day: string): Promise<number>;
  requestsPerKey(since: string): Promise<KeyRequestStats[]>;
  errorSummary(): Promise<{ unacknowledged: number; total: number; bySeverity: Record<Severity, number> }>;
}

export async function collectStats(src: StatsSources): Promise<Stats> {
  const now = src.clock.now();
  const today = utcDay(now);
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const hours = Array.from({ length: 24 }, (_, i) => currentHour - (23 - i) * HOUR_MS);
  const [activeCalls, callsToday, eventsToday, requestsPerKey, errors, perHour] = await Promise.all([
    // Upstream down: the overview still renders, with zero live calls.
    src.activeCallCount().catch(() => 0),
    src.dayCount(CALLS_COUNTER, today),
    src.dayCount(CALL_EVENTS_COUNTER, today),
    src.requestsPerKey(new Date(now - HOUR_MS).toISOString()),
    src.errorSummary(),
    Promise.all(hours.map((h) => src.dayCount(hourCounter(new Date(h).getUTCHours()), utcDay(h)))),
  ]);
  return {
    activeCalls,
    callsToday,
    eventsToday,
    uptimeS: src.uptimeS(),
    requestsPerKey,
    errors,
    callsPerHour: hours.map((h, i) => ({ hour: new Date(h).toISOString(), count: perHour[i]! })),
  };
}
