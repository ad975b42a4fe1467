// Quiet-hour windows in local time (same day, spanning midnight, by day of
// the week) and the rule input rules at the edge.
import { describe, expect, it } from 'vitest';
import { inQuietHours } from '../../../relay/alerts/quiet-hours.js';
import { alertQuery, alertRuleInput } from '../../../relay/contract/schemas.js';

// 2 November 2026 is a Monday (day 1); local time, whatever the zone.
const at = (day: number, h: number, m = 0) => new Date(2026, 10, 1 + day, h, m).getTime();

describe('inQuietHours', () => {
  it('a same-day window: from inclusive, to exclusive, only on its days', () => {
    const w = [{ days: [1, 2, 3, 4, 5], from: '12:00', to: '13:30' }];
    expect(inQuietHours(w, at(1, 11, 59))).toBe(false);
    expect(inQuietHours(w, at(1, 12, 0))).toBe(true);
    expect(inQuietHours(w, at(1, 13, 29))).toBe(true);
    expect(inQuietHours(w, at(1, 13, 30))).toBe(false);
    expect(inQuietHours(w, at(6, 12, 30))).toBe(false); // Saturday
  });

  it('a window spanning midnight belongs to the day it starts on', () => {
    const w = [{ days: [5], from: '22:00', to: '06:00' }]; // Friday night
    expect(inQuietHours(w, at(5, 21, 59))).toBe(false);
    expect(inQuietHours(w, at(5, 23, 0))).toBe(true);
    expect(inQuietHours(w, at(6, 5, 59))).toBe(true); // Saturday morning, still Friday's window
    expect(inQuietHours(w, at(6, 6, 0))).toBe(false);
    expect(inQuietHours(w, at(6, 23, 0))).toBe(false); // Saturday night is not in it
    expect(inQuietHours(w, at(5, 3, 0))).toBe(false); // Friday early morning belongs to Thursday
  });

  it('Saturday night into Sunday wraps the week; no windows: never quiet', () => {
    expect(inQuietHours([{ days: [6], from: '20:00', to: '08:00' }], at(7, 7, 0))).toBe(true); // Sunday 8 Nov
    expect(inQuietHours([], at(1, 3, 0))).toBe(false);
  });
});

describe('alert rule input', () => {
  const ok = { name: 'Sales', kind: 'calls_waiting', threshold: 5 };
  it('fills the defaults and sorts the days', () => {
    expect(alertRuleInput.parse({ ...ok, quietHours: [{ days: [6, 0, 6], from: '22:00', to: '06:00' }] })).toEqual({
      name: 'Sales', kind: 'calls_waiting', threshold: 5, queueId: null, severity: 'warning',
      quietHours: [{ days: [0, 6], from: '22:00', to: '06:00' }], cooldownS: 0, enabled: true,
    });
  });

  it.each([
    ['a time past 23:59', { quietHours: [{ days: [1], from: '22:00', to: '24:00' }] }],
    ['a time without minutes', { quietHours: [{ days: [1], from: '9', to: '10:00' }] }],
    ['an empty window', { quietHours: [{ days: [1], from: '10:00', to: '10:00' }] }],
    ['day 7', { quietHours: [{ days: [7], from: '22:00', to: '06:00' }] }],
    ['no days', { quietHours: [{ days: [], from: '22:00', to: '06:00' }] }],
    ['a negative threshold', { threshold: -1 }],
    ['a negative cool-down', { cooldownS: -1 }],
    ['a fractional cool-down', { cooldownS: 1.5 }],
    ['a control character in the name', { name: 'Sales\u0007' }],
    ['a bidi override in the name', { name: 'Sales\u202E' }],
    ['an empty name', { name: '  ' }],
    ['an unknown kind', { kind: 'coffee_low' }],
    ['an unknown field', { extra: 1 }],
  ])('refuses %s', (_what, change) => {
    expect(alertRuleInput.safeParse({ ...ok, ...change }).success).toBe(false);
  });

  it('history query: state, limit and before', () => {
    expect(alertQuery.parse({ state: 'fired', limit: '20', before: '9' })).toEqual({ state: 'fired', limit: 20, before: 9 });
    expect(alertQuery.safeParse({ state: 'open' }).success).toBe(false);
    expect(alertQuery.safeParse({ limit: '0' }).success).toBe(false);
  });
});
