// The simulator's own copy of 3CX's call-centre table, `callcent_queuecalls`:
// one row per caller who entered a queue, written when the call ends. Names
// and types as public integrators' code shows them (a TypeORM entity of the
// table, btafoya/3cx-mcp's queries; docs/supervisor.md), the subset the
// relay may read plus the reason columns; deliberately NOT taken from the
// relay's mapping (relay/pbx/queue-calls-query.ts), so a wrong name there
// fails the tests. 3CX's reason codes are not agreed on by those sources:
// the simulator writes 0 for answered and 3 with "Caller dropped the call"
// (the description seen in a V20 row) for abandoned.
import { sqlIdent } from './cdroutput-table.js';

// Structural types rather than imports: cdr-schema.ts creates this table, so
// importing from it (or from cdr-rows.ts, which does) would close a cycle.
interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}
/** What a queue-call row needs of a CDR leg (cdr-rows.ts CallLeg). */
interface LegTimes {
  destination: { dnNumber: string | null; dnType: string };
  answeredAt: Date | null;
  endedAt: Date;
}

export const QUEUECALLS_TABLE = 'callcent_queuecalls';

/** Column name → SQL type, in table order (the id is a serial, written by the database). */
export const QUEUECALLS_COLUMNS = {
  q_num: 'varchar(255)',
  time_start: 'timestamptz',
  time_end: 'timestamptz',
  ts_waiting: 'interval',
  ts_polling: 'interval',
  ts_servicing: 'interval',
  reason_noanswercode: 'integer',
  reason_noanswerdesc: 'varchar(255)',
  call_history_id: 'varchar(255)',
  from_userpart: 'varchar(255)',
  from_displayname: 'varchar(255)',
  to_dn: 'varchar(255)',
} as const;

export type QueuecallsColumn = keyof typeof QUEUECALLS_COLUMNS;
const NAMES = Object.keys(QUEUECALLS_COLUMNS) as QueuecallsColumn[];

/** One row; intervals as seconds (converted on insert). */
export interface QueueCallRow {
  q_num: string;
  time_start: Date;
  time_end: Date;
  ts_waiting: number;
  ts_polling: number;
  ts_servicing: number;
  reason_noanswercode: number;
  reason_noanswerdesc: string;
  call_history_id: string | null;
  from_userpart: string | null;
  from_displayname: string | null;
  to_dn: string;
}

export async function createQueuecallsTable(client: SqlClient): Promise<void> {
  const table = sqlIdent(QUEUECALLS_TABLE);
  const cols = NAMES.map((c) => `${sqlIdent(c)} ${QUEUECALLS_COLUMNS[c]}${c === 'time_start' || c === 'time_end' ? ' NOT NULL' : ''}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (\n  ${sqlIdent('idcallcent_queuecalls')} serial PRIMARY KEY,\n  ${cols.join(',\n  ')}\n)`);
  await client.query(`CREATE INDEX IF NOT EXISTS ${sqlIdent(`${QUEUECALLS_TABLE}_time_start_idx`)} ON ${table} (${sqlIdent('time_start')})`);
}

/** What the queue-call row of a finished call needs from the simulator's call. */
export interface QueueCallFacts {
  queueDn: string | null;
  caller: string;
  callerName: string | null;
  startedAt: Date;
}

/**
 * The queue-call row of a finished call, or null when it never entered a
 * queue. Answered = the first leg an extension answered: the caller waited
 * from entering the queue until then (written as `ts_waiting`, `ts_polling`
 * 0), and talked from then to the end of that leg. Unanswered: the whole
 * time was waiting, and the caller hung up.
 */
export function queueCallRow(call: QueueCallFacts, legs: readonly LegTimes[], callHistoryId: string | null): QueueCallRow | null {
  if (!call.queueDn || legs.length === 0) return null;
  const start = call.startedAt.getTime();
  const end = Math.max(...legs.map((l) => l.endedAt.getTime()));
  const answered = legs
    .filter((l) => l.answeredAt && l.destination.dnType === 'extension' && l.destination.dnNumber !== call.queueDn)
    .sort((a, b) => a.answeredAt!.getTime() - b.answeredAt!.getTime())[0];
  const answeredAt = answered?.answeredAt?.getTime() ?? null;
  return {
    q_num: call.queueDn,
    time_start: call.startedAt,
    time_end: new Date(end),
    ts_waiting: ((answeredAt ?? end) - start) / 1000,
    ts_polling: 0,
    ts_servicing: answered && answeredAt !== null ? (answered.endedAt.getTime() - answeredAt) / 1000 : 0,
    reason_noanswercode: answered ? 0 : 3,
    reason_noanswerdesc: answered ? '' : 'Caller dropped the call',
    call_history_id: callHistoryId,
    from_userpart: call.caller,
    from_displayname: call.callerName,
    to_dn: answered?.destination.dnNumber ?? '',
  };
}

const LIST = NAMES.map(sqlIdent).join(', ');
const RECORD = NAMES.map((c) => `${sqlIdent(c)} ${c.startsWith('ts_') ? 'float8' : QUEUECALLS_COLUMNS[c]}`).join(', ');
const SELECT = NAMES.map((c) => (c.startsWith('ts_') ? `make_interval(secs => r.${sqlIdent(c)})` : `r.${sqlIdent(c)}`)).join(', ');
const INSERT_SQL = `INSERT INTO ${sqlIdent(QUEUECALLS_TABLE)} (${LIST}) SELECT ${SELECT} FROM json_to_recordset($1::json) AS r(${RECORD})`;

/** Bulk insert in one round trip (as cdr-rows.ts does for cdroutput). */
export async function insertQueueCallRows(client: SqlClient, rows: readonly QueueCallRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(INSERT_SQL, [JSON.stringify(rows)]);
}
