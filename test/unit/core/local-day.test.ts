// The dashboard's "today" and "this hour" are local ones. The zone is set per
// test (Node honours a TZ change at run time) to one west of UTC, where the
// local and the UTC day differ in the evening, and to one at +05:30, where
// local hours are not UTC hours.
import { afterEach, describe, expect, it } from 'vitest';
import { localDay, localDayStart, localHour, localHourStart } from '../../../relay/core/local-day.js';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('local day and hour', () => {
  it('an evening call west of UTC belongs to the local day, not the next UTC day', () => {
    process.env.TZ = 'America/New_York';
    const at = Date.parse('2026-03-10T02:30:00Z'); // 22:30 on 9 March in New York (EDT from 8 March)
    expect(localDay(at)).toBe('2026-03-09');
    expect(new Date(localDayStart(at)).toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(localHour(at)).toBe(22);
  });

  it('local hours start on the half hour at +05:30', () => {
    process.env.TZ = 'Asia/Kolkata';
    const at = Date.parse('2026-01-01T20:10:00Z'); // 01:40 on 2 January in India
    expect(localDay(at)).toBe('2026-01-02');
    expect(new Date(localHourStart(at)).toISOString()).toBe('2026-01-01T19:30:00.000Z');
    expect(new Date(localDayStart(at)).toISOString()).toBe('2026-01-01T18:30:00.000Z');
    expect(localHour(at)).toBe(1);
  });
});
