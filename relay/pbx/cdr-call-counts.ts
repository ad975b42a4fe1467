// Calls per hour from the call records, for the dashboard's overview. One
// aggregate over a start-time range (the keyset index on cdr_started_at
// bounds it), nothing copied out row by row. 3CX writes one row per call
// segment: a call is its call_history_id (a row without one is a call of its
// own) and counts once, in the hour its first segment in the window started.
import { RelayError } from '../core/relay-error.js';
import { HOUR_MS } from '../core/time-units.js';
import type { CdrCallCountQuery, CdrCallCounts } from './upstream.js';
import { CDR_COLUMNS, CDR_ORDER_ID, CDR_TABLE, quoteIdent } from './cdr-columns.js';

/** How far before the first hour "today" may start (a local day of 25 hours, with room to spare). */
const MAX_DAY_LEAD_MS = 48 * HOUR_MS;

const col = (f: 'cdr_started_at' | 'call_history_id') => `t.${quoteIdent(CDR_COLUMNS[f])}`;
const ROW_ID = `t.${quoteIdent(CDR_COLUMNS[CDR_ORDER_ID])}`;

/**
 * Parameters: $1 window start, $2 window end (exclusive), $3 first hour
 * bucket's start, $4 start of today. Answers one row per hour bucket that has
 * calls (bucket < 0: before the chart, counted for today only).
 */
export const CDR_CALL_COUNT_SQL =
  `WITH calls AS (SELECT min(${col('cdr_started_at')}) AS started FROM ${quoteIdent(CDR_TABLE)} t ` +
  `WHERE ${col('cdr_started_at')} >= $1::timestamptz AND ${col('cdr_started_at')} < $2::timestamptz ` +
  `GROUP BY ${col('call_history_id')}, CASE WHEN ${col('call_history_id')} IS NULL THEN ${ROW_ID} END) ` +
  `SELECT floor(extract(epoch FROM started - $3::timestamptz) / 3600)::int AS bucket, count(*)::int AS calls, ` +
  `(count(*) FILTER (WHERE started >= $4::timestamptz))::int AS today FROM calls GROUP BY 1`;

export interface CallCountWindow { from: Date; to: Date }

/**
 * Refuses a query whose window would not be small and bounded: at most 31
 * days of hours, and a day start between two days before the first hour and
 * the last hour's end (else one far-off date would widen the scan to months).
 */
export function checkCallCountQuery(q: CdrCallCountQuery): void {
  if (!Number.isInteger(q.hours) || q.hours < 1 || q.hours > 24 * 31) throw RelayError.badRequest('hours must be a whole number from 1 to 744');
  if (![q.hoursFrom, q.dayStart].every((d) => d instanceof Date && !Number.isNaN(d.getTime()))) {
    throw RelayError.badRequest('`hoursFrom` and `dayStart` must be valid dates');
  }
  const first = q.hoursFrom.getTime();
  const day = q.dayStart.getTime();
  if (day < first - MAX_DAY_LEAD_MS || day > first + q.hours * HOUR_MS) {
    throw RelayError.badRequest('`dayStart` must lie within two days before `hoursFrom` and the last hour asked for');
  }
}

/** The rows the query has to look at: from the earlier of today's start and the first hour, to the last hour's end. */
export function callCountWindow(q: CdrCallCountQuery): CallCountWindow {
  const firstHour = q.hoursFrom.getTime();
  return { from: new Date(Math.min(firstHour, q.dayStart.getTime())), to: new Date(firstHour + q.hours * HOUR_MS) };
}

export function callCountParams(q: CdrCallCountQuery): string[] {
  const w = callCountWindow(q);
  return [w.from.toISOString(), w.to.toISOString(), q.hoursFrom.toISOString(), q.dayStart.toISOString()];
}

/** Bucket rows into `hours` counts (oldest first) and today's total. */
export function toCallCounts(rows: readonly { bucket: number; calls: number; today: number }[], hours: number): CdrCallCounts {
  const perHour = new Array<number>(hours).fill(0);
  let today = 0;
  for (const row of rows) {
    today += row.today;
    if (row.bucket >= 0 && row.bucket < hours) perHour[row.bucket] = row.calls;
  }
  return { today, perHour };
}
