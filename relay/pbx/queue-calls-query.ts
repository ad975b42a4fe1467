// Today's queue figures from 3CX's call-centre table, in ONE aggregate over
// a time range: per queue answered, abandoned, answered within the queue's
// SLA, summed wait and talk, and per agent answered. The table and column
// names are the only thing known from public code, not from 3CX's own
// documentation, and none of it is confirmed for V20 Update 7: they are a
// mapping with a default, which the relay's configuration can override
// (tuning.supervisor.queueCallsMapping) without a new build.
//
// Where the default names come from (public integrators' code; see
// docs/supervisor.md "Today's figures from the call records"):
//  - a TypeORM entity of `callcent_queuecalls` (schema `public`):
//    `idcallcent_queuecalls`, `q_num` (varchar), `time_start`/`time_end`
//    (timestamp), `ts_waiting`, `ts_polling`, `ts_servicing`, `ts_locating`
//    (interval, default '00:00:00'), `count_*`, `reason_noanswercode`,
//    `reason_failcode`, `reason_noanswerdesc`, `call_history_id`,
//    `from_userpart`, `from_displayname`, `to_dialednum`, `to_dn`,
//    `to_dntype`, `is_visible`, `is_agent`;
//  - btafoya/3cx-mcp `src/tools/queues.py` (per-queue counts and
//    `extract(epoch FROM ts_waiting)` grouped by `q_num`, bounded by `time_start`)
//    and its schema notes (a V20 row: `time_start` with a zone, the caller
//    dropped with `ts_servicing` = 00:00:00);
//  - report views that call a row answered when `ts_servicing` > 0 (and
//    `to_dn`, the agent, is set) and count the caller's wait as
//    `ts_waiting` + `ts_polling` (waiting, then ringing agents).
// The reason codes disagree between those sources (2, 3 or 4 for
// "abandoned"), so the relay does not read them: answered = talked to an
// agent, everything else that entered the queue = abandoned.
import { RelayError } from '../core/relay-error.js';
import { DAY_MS } from '../core/time-units.js';
import { quoteIdent } from './cdr-columns.js';

export interface QueueCallsMapping {
  /** The table, optionally schema-qualified (`public.callcent_queuecalls`). */
  table: string;
  /** The queue's number (DN). */
  queue: string;
  /** When the caller entered the queue: the day range is on this column. */
  startedAt: string;
  /** When the caller left the queue; rows without it (still running) are skipped. Null: no such column. */
  endedAt: string | null;
  /** Summed, they are the caller's wait before an agent answered (or before hanging up). */
  wait: string[];
  /** Time talking with the agent; above zero = answered. */
  talk: string;
  /** The agent who answered. */
  agent: string;
  /** How `wait` and `talk` are stored: PostgreSQL intervals or numbers of seconds. */
  durations: 'interval' | 'seconds';
}

export type QueueCallsMappingOverride = Partial<QueueCallsMapping>;

export const DEFAULT_QUEUE_CALLS_MAPPING: Readonly<QueueCallsMapping> = Object.freeze({
  table: 'callcent_queuecalls',
  queue: 'q_num',
  startedAt: 'time_start',
  endedAt: 'time_end',
  wait: ['ts_waiting', 'ts_polling'],
  talk: 'ts_servicing',
  agent: 'to_dn',
  durations: 'interval',
});

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function checkIdent(what: string, name: unknown): string {
  if (typeof name !== 'string' || !IDENT.test(name)) {
    throw RelayError.badRequest(`queue-call mapping: ${what} must be a plain SQL name (letters, digits, _), got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The default with `override` applied, every name checked (they go into SQL, quoted). */
export function resolveQueueCallsMapping(override: QueueCallsMappingOverride = {}): QueueCallsMapping {
  const m: QueueCallsMapping = { ...DEFAULT_QUEUE_CALLS_MAPPING, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) };
  const tableParts = typeof m.table === 'string' ? m.table.split('.') : [];
  if (tableParts.length < 1 || tableParts.length > 2) throw RelayError.badRequest('queue-call mapping: table must be `name` or `schema.name`');
  tableParts.forEach((p) => checkIdent('table', p));
  for (const k of ['queue', 'startedAt', 'talk', 'agent'] as const) checkIdent(k, m[k]);
  if (m.endedAt !== null) checkIdent('endedAt', m.endedAt);
  if (!Array.isArray(m.wait) || m.wait.length === 0) throw RelayError.badRequest('queue-call mapping: wait must name at least one column');
  m.wait.forEach((c) => checkIdent('wait', c));
  if (m.durations !== 'interval' && m.durations !== 'seconds') throw RelayError.badRequest('queue-call mapping: durations must be "interval" or "seconds"');
  return { ...m, wait: [...m.wait] };
}

export interface QueueDayQuery {
  /** Rows whose start lies in [from, to). */
  from: Date;
  to: Date;
  /** The queues asked about and their SLA seconds; rows of other queues are not read into the figures. */
  queues: ReadonlyArray<{ number: string; slaSeconds: number }>;
}

/** One queue's figures (`kind` 'queue') or one agent's answered calls (`kind` 'agent') for the range. */
export interface QueueDayRow {
  kind: 'queue' | 'agent';
  /** Queue number or agent extension. */
  key: string;
  answered: number;
  abandoned: number;
  withinSla: number;
  /** Summed seconds over the answered calls. */
  waitS: number;
  talkS: number;
}

/** A range longer than this is refused: "today" is at most 25 hours, and the PBX's database is not ours to scan. */
const MAX_RANGE_MS = 2 * DAY_MS;

export function checkQueueDayQuery(q: QueueDayQuery): void {
  if (![q.from, q.to].every((d) => d instanceof Date && !Number.isNaN(d.getTime()))) throw RelayError.badRequest('`from` and `to` must be valid dates');
  const span = q.to.getTime() - q.from.getTime();
  if (span < 0 || span > MAX_RANGE_MS) throw RelayError.badRequest('the queue-call range must run forward and span at most two days');
  if (q.queues.length === 0 || q.queues.length > 10_000) throw RelayError.badRequest('the queue-call query needs 1 to 10,000 queues');
  for (const x of q.queues) {
    if (typeof x.number !== 'string' || !x.number || !Number.isFinite(x.slaSeconds) || x.slaSeconds < 0) {
      throw RelayError.badRequest('each queue needs a number and a non-negative SLA');
    }
  }
}

function table(m: QueueCallsMapping): string {
  return m.table.split('.').map(quoteIdent).join('.');
}

/**
 * The statement for a mapping. Parameters: $1 from, $2 to (untyped, so they
 * take the start column's own type and an index on it stays usable whether
 * 3CX made it `timestamp` or `timestamptz`; the session runs in UTC, so a
 * zone-less column is read as UTC), $3 queue numbers, $4 their SLA seconds.
 * Answers one row per queue with calls (grouping by queue) and one per agent
 * (grouping by agent), from a single scan of the range.
 */
export function queueDaySql(m: QueueCallsMapping): string {
  const c = (name: string) => `t.${quoteIdent(name)}`;
  const seconds = (name: string) =>
    m.durations === 'interval' ? `coalesce(extract(epoch FROM ${c(name)}), 0)::float8` : `coalesce(${c(name)}, 0)::float8`;
  const where = [`${c(m.startedAt)} >= $1`, `${c(m.startedAt)} < $2`];
  if (m.endedAt) where.push(`${c(m.endedAt)} IS NOT NULL`);
  const calls =
    `SELECT s.q AS q, nullif(${c(m.agent)}::text, '') AS agent, s.sla AS sla, ` +
    `(${m.wait.map(seconds).join(' + ')}) AS wait_s, ${seconds(m.talk)} AS talk_s ` +
    `FROM ${table(m)} t JOIN unnest($3::text[], $4::float8[]) AS s(q, sla) ON s.q = ${c(m.queue)}::text ` +
    `WHERE ${where.join(' AND ')}`;
  const marked = `SELECT q, agent, sla, wait_s, talk_s, (talk_s > 0 AND agent IS NOT NULL) AS answered FROM calls`;
  return (
    `WITH calls AS (${calls}), d AS (${marked}) ` +
    `SELECT CASE WHEN grouping(d.agent) = 1 THEN 'queue' ELSE 'agent' END AS kind, ` +
    `CASE WHEN grouping(d.agent) = 1 THEN d.q ELSE d.agent END AS key, ` +
    `(count(*) FILTER (WHERE d.answered))::int AS answered, ` +
    `(count(*) FILTER (WHERE NOT d.answered))::int AS abandoned, ` +
    `(count(*) FILTER (WHERE d.answered AND d.wait_s <= d.sla))::int AS within_sla, ` +
    `coalesce(sum(d.wait_s) FILTER (WHERE d.answered), 0)::float8 AS wait_s, ` +
    `coalesce(sum(d.talk_s) FILTER (WHERE d.answered), 0)::float8 AS talk_s ` +
    `FROM d GROUP BY GROUPING SETS ((d.q), (d.agent))`
  );
}

export function queueDayParams(q: QueueDayQuery): unknown[] {
  return [q.from.toISOString(), q.to.toISOString(), q.queues.map((x) => x.number), q.queues.map((x) => x.slaSeconds)];
}

interface RawRow { kind: string; key: string | null; answered: number; abandoned: number; within_sla: number; wait_s: number; talk_s: number }

/** Database rows to QueueDayRow; agent rows without an agent (unanswered calls) are dropped. */
export function toQueueDayRows(rows: readonly RawRow[]): QueueDayRow[] {
  return rows
    .filter((r) => r.key !== null && r.key !== '' && (r.kind === 'queue' || r.kind === 'agent'))
    .map((r) => ({
      kind: r.kind as 'queue' | 'agent',
      key: String(r.key),
      answered: Number(r.answered),
      abandoned: Number(r.abandoned),
      withinSla: Number(r.within_sla),
      waitS: Number(r.wait_s),
      talkS: Number(r.talk_s),
    }));
}
