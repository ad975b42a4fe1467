// GET /admin/stats: the dashboard's overview figures, gathered from the live
// call list, the store's day counters and request log, the error feed, and
// (for calls today and per hour) the PBX's call records when they can answer.
import type { Stats } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { KeyRequestStats, Severity } from '../contract/api-types.js';
import { localDay, localHour, localHourStart } from '../core/local-day.js';
import { HOUR_MS } from '../core/time-units.js';
import { CALL_EVENTS_COUNTER, CALLS_COUNTER, hourCounter } from '../live-calls/call-counter.js';
import type { CallVolume } from '../call-records/cdr-call-volume.js';


export interface StatsSources {
  clock: Clock;
  uptimeS(): number;
  /** Current number of active calls; rejects when no upstream can tell. */
  activeCallCount(): Promise<number>;
  /** Stored day counter plus what is buffered and not yet written. */
  dayCount(name: string, day: string): Promise<number>;
  requestsPerKey(since: string): Promise<KeyRequestStats[]>;
  errorSummary(): Promise<{ unacknowledged: number; total: number; bySeverity: Record<Severity, number> }>;
  /** Calls today and per hour from the call records; null (or absent) when the database cannot answer. */
  cdrCallVolume?(): Promise<CallVolume | null>;
}

/**
 * Calls counted from the live Call Control stream into the store's day
 * counters (local days and hours, as the call records are counted): the
 * fallback when the call-record database is not there.
 */
async function liveCallVolume(src: StatsSources, now: number): Promise<CallVolume> {
  const currentHour = localHourStart(now);
  const hours = Array.from({ length: 24 }, (_, i) => currentHour - (23 - i) * HOUR_MS);
  const [callsToday, perHour] = await Promise.all([
    src.dayCount(CALLS_COUNTER, localDay(now)),
    Promise.all(hours.map((h) => src.dayCount(hourCounter(localHour(h)), localDay(h)))),
  ]);
  return { callsToday, callsPerHour: hours.map((h, i) => ({ hour: new Date(h).toISOString(), count: perHour[i]! })) };
}

export async function collectStats(src: StatsSources): Promise<Stats> {
  const now = src.clock.now();
  const [activeCalls, volume, eventsToday, requestsPerKey, errors] = await Promise.all([
    // Upstream down: the overview still renders, with zero live calls.
    src.activeCallCount().catch(() => 0),
    (src.cdrCallVolume?.() ?? Promise.resolve(null)).catch(() => null).then((v) => v ?? liveCallVolume(src, now)),
    src.dayCount(CALL_EVENTS_COUNTER, localDay(now)),
    src.requestsPerKey(new Date(now - HOUR_MS).toISOString()),
    src.errorSummary(),
  ]);
  return {
    activeCalls,
    callsToday: volume.callsToday,
    eventsToday,
    uptimeS: src.uptimeS(),
    requestsPerKey,
    errors,
    callsPerHour: volume.callsPerHour,
  };
}
