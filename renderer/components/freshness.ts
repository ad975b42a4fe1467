// LIVE / STALE for one figure: the age of the newest data behind it, and
// whether a supervisor may still trust it. The relay marks data stale past
// its threshold; the screen also does when no update arrived for a while
// (a dead link must not leave a frozen number looking live).
export const CLIENT_STALE_MS = 30_000;

export interface Sourcing {
  asOf: string | null;
  stale: boolean;
}

export interface Freshness {
  stale: boolean;
  /** Milliseconds since the data was confirmed; null before the first answer. */
  ageMs: number | null;
  /** `LIVE · 4 s ago`, `stale since 14:02`, or `no data yet`. */
  label: string;
}

export function formatAge(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function freshness(source: Sourcing, now: number): Freshness {
  const at = source.asOf === null ? NaN : Date.parse(source.asOf);
  if (Number.isNaN(at)) return { stale: true, ageMs: null, label: 'no data yet' };
  const ageMs = Math.max(0, now - at);
  const stale = source.stale || ageMs > CLIENT_STALE_MS;
  return { stale, ageMs, label: stale ? `stale since ${clockTime(at)}` : `LIVE · ${formatAge(ageMs)}` };
}
