// Quiet hours: windows of local time (the relay's time zone, like "today" in
// core/local-day.ts) on given days when a rule fires silently. A window whose
// `to` comes before its `from` spans midnight and belongs to the day it
// starts on: {days: [5], from: '22:00', to: '06:00'} is Friday 22:00 to
// Saturday 06:00.
import type { QuietHours } from '../contract/supervisor-types.js';

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** True when `ms` (local time) falls inside any of the windows. */
export function inQuietHours(windows: readonly QuietHours[], ms: number): boolean {
  if (windows.length === 0) return false;
  const d = new Date(ms);
  const day = d.getDay();
  const yesterday = (day + 6) % 7;
  const now = d.getHours() * 60 + d.getMinutes();
  return windows.some((w) => {
    const from = minutesOf(w.from);
    const to = minutesOf(w.to);
    if (from < to) return w.days.includes(day) && now >= from && now < to;
    // Spans midnight: the evening part today, or the morning part of a window that began yesterday.
    return (w.days.includes(day) && now >= from) || (w.days.includes(yesterday) && now < to);
  });
}
