// A 3CX-like call-record database (`database_single` with `cdroutput` and
// a read-only `logsreader_single` role) holding N rows (default 1,000,000;
// 0 for an empty one) generated inside PostgreSQL by generate_series: seconds
// instead of minutes of client-side inserts. Rows spread evenly over one
// year, newest at `end`.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Cdr } from '../../relay/contract/api-types.js';
import { CDR_COLUMNS, CDR_TABLE, quoteIdent } from '../../relay/pbx/cdr-columns.js';
import { createCdrSchema, createReadonlyRole } from '../../relay/sim/cdr-schema.js';
import type { PgServer } from '../../test/support/postgres-server.js';

export interface CdrDatabase {
  /** Read-only role's URL, as the relay gets it. */
  readonlyUrl: string;
  adminUrl: string;
  readonlyPassword: string;
  rows: number;
  /** Range covering every row. */
  from: string;
  to: string;
  seedSeconds: number;
}

export async function createCdrDatabase(
  server: PgServer,
  opts: { rows?: number; database?: string; end?: Date } = {},
): Promise<CdrDatabase> {
  const rows = opts.rows ?? 1_000_000;
  const database = opts.database ?? 'database_single';
  const end = opts.end ?? new Date(Date.UTC(2026, 9, 31, 23, 0, 0));
  const start = new Date(end.getTime() - 365 * 86_400_000);
  const t0 = performance.now();

  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const readonlyPassword = randomBytes(12).toString('hex');
  const db = new pg.Client({ connectionString: server.urlFor(database) });
  await db.connect();
  try {
    await createCdrSchema(db);
    // Values shaped like 3CX's: extensions 100-199, external numbers, queue
    // 800, a mix of answered and missed calls with 0-10 minute durations.
    // Keyed by field so the column names come from the relay's one mapping.
    const values: Record<keyof Cdr, string> = {
      cdr_id: 'gen_random_uuid()',
      call_history_id: 'gen_random_uuid()',
      cdr_started_at: 'ts',
      cdr_answered_at: 'CASE WHEN i % 5 = 0 THEN NULL ELSE ts + make_interval(secs => i % 20) END',
      cdr_ended_at: 'ts + make_interval(secs => 20 + i % 600)',
      source_dn_number: '(100 + i % 100)::text',
      source_dn_type: "'extension'",
      source_dn_name: "'Agent ' || (100 + i % 100)",
      source_participant_name: "'Agent ' || (100 + i % 100)",
      source_participant_phone_number: "'+4930' || lpad(i::text, 7, '0')",
      source_participant_trunk_did: 'NULL',
      source_entity_type: "'user'",
      destination_dn_number: "CASE WHEN i % 3 = 0 THEN '800' ELSE (100 + (i * 7) % 100)::text END",
      destination_dn_type: "CASE WHEN i % 3 = 0 THEN 'queue' ELSE 'extension' END",
      destination_dn_name: "CASE WHEN i % 3 = 0 THEN 'Support' ELSE 'Agent ' || (100 + (i * 7) % 100) END",
      destination_participant_name: "'Caller ' || i",
      destination_participant_phone_number: "'+4940' || lpad(((i * 13) % 1000000)::text, 7, '0')",
      destination_participant_trunk_did: "'+493012345600'",
      destination_entity_type: "'external'",
      termination_reason: "CASE WHEN i % 5 = 0 THEN 'cancelled' ELSE 'dst_participant_terminated' END",
      termination_reason_details: 'NULL',
      creation_method: "'call_init'",
      originating_cdr_id: 'NULL',
    };
    const fields = Object.keys(values) as (keyof Cdr)[];
    const stepMs = (end.getTime() - start.getTime()) / rows;
    if (rows > 0) await db.query(
      `INSERT INTO ${quoteIdent(CDR_TABLE)} (${fields.map((f) => quoteIdent(CDR_COLUMNS[f])).join(', ')})
       SELECT ${fields.map((f) => values[f]).join(', ')}
       FROM (SELECT i, $1::timestamptz + make_interval(secs => (i::double precision * $2) / 1000) AS ts
             FROM generate_series(0, $3::int - 1) AS i) g`,
      [start.toISOString(), stepMs, rows],
    );
    await db.query(`ANALYZE ${quoteIdent(CDR_TABLE)}`);
    await createReadonlyRole(db, 'logsreader_single', readonlyPassword, database);
  } finally {
    await db.end();
  }
  return {
    readonlyUrl: server.urlFor(database, 'logsreader_single', readonlyPassword),
    adminUrl: server.urlFor(database),
    readonlyPassword,
    rows,
    from: start.toISOString(),
    to: new Date(end.getTime() + 1000).toISOString(),
    seedSeconds: (performance.now() - t0) / 1000,
  };
}
