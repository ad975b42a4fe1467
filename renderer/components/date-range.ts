// Date inputs (local calendar days) to the ISO range the relay expects.

/** `YYYY-MM-DD` of a local date. */
export function localDay(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function daysAgo(days: number, now = new Date()): string {
  const date = new Date(now);
  date.setDate(date.getDate() - days);
  return localDay(date);
}

/** From the start of `fromDay` to the end of `toDay`, local time, as ISO-8601 UTC. */
export function dayRange(fromDay: string, toDay: string): { from: string; to: string } | null {
  const from = new Date(`${fromDay}T00:00:00`);
  const to = new Date(`${toDay}T23:59:59.999`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}
