// "Calls today" and calls per hour for the overview, from the PBX's call
// records when the database is connected: the live Call Control stream only
// sees calls since the relay started, the records hold all of them. The
// dashboard polls every few seconds; the answer is kept for `ttlMs` (and
// concurrent callers share one query) so 3CX's database sees at most one
// aggregate per TTL. Days and hours are local ones (relay/core/local-day.ts),
// as for the live counters.
import type { Clock } from '../core/clock.js';
import { localDayStart, localHourStart } from '../core/local-day.js';
import { HOUR_MS } from '../core/time-units.js';
import type { CdrPort } from '../pbx/upstream.js';

export const CALL_VOLUME_HOURS = 24;
const DEFAULT_TTL_MS = 30_000;

export interface CallVolume {
  callsToday: number;
  /** Oldest first, one entry per hour, `hour` = the hour's start (ISO). */
  callsPerHour: { hour: string; count: number }[];
}

export interface CallVolumeWindow { dayStart: Date; hoursFrom: Date }

/** Today's local midnight and the start of the local hour 23 hours before the current one. */
export function callVolumeWindow(now: number): CallVolumeWindow {
  return { dayStart: new Date(localDayStart(now)), hoursFrom: new Date(localHourStart(now) - (CALL_VOLUME_HOURS - 1) * HOUR_MS) };
}

interface Cached { cdr: CdrPort; key: string; at: number; value: Promise<CallVolume | null> }

export class CdrCallVolume {
  readonly #cdr: () => CdrPort | undefined;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #cached: Cached | null = null;

  constructor(deps: { cdr: () => CdrPort | undefined; clock: Clock; ttlMs?: number }) {
    this.#cdr = deps.cdr;
    this.#clock = deps.clock;
    this.#ttlMs = deps.ttlMs ?? DEFAULT_TTL_MS;
  }

  /** The figures from the call records, or null when the database cannot answer (the caller falls back to live counts). */
  get(): Promise<CallVolume | null> {
    const cdr = this.#cdr();
    // Not connected: answer at once instead of waiting for a connect timeout on every poll.
    if (!cdr || cdr.health().state !== 'connected') return Promise.resolve(null);
    const now = this.#clock.now();
    const window = callVolumeWindow(now);
    const key = `${window.dayStart.getTime()}|${window.hoursFrom.getTime()}`;
    const c = this.#cached;
    if (c && c.cdr === cdr && c.key === key && now - c.at < this.#ttlMs) return c.value;
    const value = cdr.callCounts({ ...window, hours: CALL_VOLUME_HOURS }).then(
      (counts): CallVolume => ({
        callsToday: counts.today,
        callsPerHour: counts.perHour.map((count, i) => ({ hour: new Date(window.hoursFrom.getTime() + i * HOUR_MS).toISOString(), count })),
      }),
      // The repository already put the failure in the error feed; a failed answer is not kept.
      () => {
        if (this.#cached?.value === value) this.#cached = null;
        return null;
      },
    );
    this.#cached = { cdr, key, at: now, value };
    return value;
  }
}
