// "Today" and "this hour" in the dashboard's call figures are the PBX's local
// calendar, whichever source counts them: the call records (3CX's database)
// or the relay's own day counters fed by the live stream. Both use these
// helpers, so a call counts under the same day and hour either way. The
// relay's time zone (the process's, i.e. TZ) stands for the PBX's: they
// normally share a site; set TZ for the relay when they do not.

/** The local calendar day of a time, `YYYY-MM-DD`: the key day counters are stored under. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight starting the day that holds `ms`. */
export function localDayStart(ms: number): number {
  return new Date(ms).setHours(0, 0, 0, 0);
}

/** Start of the local hour that holds `ms` (not always a UTC hour: zones at +05:30 exist). */
export function localHourStart(ms: number): number {
  return new Date(ms).setMinutes(0, 0, 0);
}

/** The local hour of the day, 0..23. */
export function localHour(ms: number): number {
  return new Date(ms).getHours();
}
