// "Calls today" and calls per hour mean the same day and hours whichever
// source answers: the call records (window from callVolumeWindow) or the
// relay's live day counters (the fallback in collectStats).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALL_VOLUME_HOURS, callVolumeWindow } from '../../../relay/call-records/cdr-call-volume.js';
import { collectStats, type StatsSources } from '../../../relay/admin/stats-service.js';
import { CALLS_COUNTER, hourCounter } from '../../../relay/live-calls/call-counter.js';
import type { Clock } from '../../../relay/core/clock.js';
import { HOUR_MS } from '../../../relay/core/time-units.js';

const savedTz = process.env.TZ;
beforeEach(() => {
  // Evening west of UTC: the UTC day is already tomorrow.
  process.env.TZ = 'America/New_York';
});
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

function liveSources(now: number, counts: Map<string, number>): StatsSources & { asked: string[] } {
  const clock: Clock = { now: () => now, setTimeout: () => ({ cancel: () => {} }) };
  const asked: string[] = [];
  return {
    asked,
    clock,
    uptimeS: () => 1,
    activeCallCount: async () => 0,
    dayCount: async (name, day) => {
      asked.push(`${day}|${name}`);
      return counts.get(`${day}|${name}`) ?? 0;
    },
    requestsPerKey: async () => [],
    errorSummary: async () => ({ unacknowledged: 0, total: 0, bySeverity: { info: 0, warning: 0, error: 0, critical: 0 } }),
  };
}

describe('calls today: one local day for both sources', () => {
  it('the live fallback reads the local day and local hours the call-record window uses', async () => {
    const now = Date.parse('2026-03-10T02:30:00Z'); // 22:30 on 9 March in New York
    const counts = new Map([[`2026-03-09|${CALLS_COUNTER}`, 4], [`2026-03-09|${hourCounter(22)}`, 2]]);
    const src = liveSources(now, counts);
    const stats = await collectStats(src);
    expect(stats.callsToday).toBe(4);

    const window = callVolumeWindow(now);
    expect(window.dayStart.toISOString()).toBe('2026-03-09T04:00:00.000Z');
    const cdrHours = Array.from({ length: CALL_VOLUME_HOURS }, (_, i) => new Date(window.hoursFrom.getTime() + i * HOUR_MS).toISOString());
    expect(stats.callsPerHour.map((h) => h.hour)).toEqual(cdrHours);
    expect(stats.callsPerHour.at(-1)).toEqual({ hour: '2026-03-10T02:00:00.000Z', count: 2 });
  });

  it('hours follow a half-hour zone in both sources', async () => {
    process.env.TZ = 'Asia/Kolkata';
    const now = Date.parse('2026-01-01T20:10:00Z');
    const stats = await collectStats(liveSources(now, new Map()));
    const window = callVolumeWindow(now);
    expect(stats.callsPerHour[0]!.hour).toBe(window.hoursFrom.toISOString());
    expect(stats.callsPerHour.at(-1)!.hour).toBe('2026-01-01T19:30:00.000Z');
  });
});
