// The 3CX V20 call-record table as the simulator, the tests and the demo
// create it, from the simulator's own copy of 3CX's names
// (cdroutput-table.ts), never from the relay's mapping. Plain SQL only: it
// also runs on PGlite for the demo.
import { CDROUTPUT_COLUMNS, CDROUTPUT_COLUMN_NAMES, CDROUTPUT_TABLE, sqlIdent } from './cdroutput-table.js';
import { QUEUECALLS_TABLE, createQueuecallsTable } from './queuecalls-table.js';

export const CDR_TABLE = CDROUTPUT_TABLE;

/** What both `pg` (Client, Pool, PoolClient) and PGlite offer. */
export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export async function createCdrSchema(client: SqlClient): Promise<void> {
  const col = sqlIdent;
  const cols = CDROUTPUT_COLUMN_NAMES.map((c) => {
    const constraint = c === 'cdr_id' ? ' PRIMARY KEY' : c === 'cdr_started_at' ? ' NOT NULL' : '';
    return `${col(c)} ${CDROUTPUT_COLUMNS[c]}${constraint}`;
  });
  const table = sqlIdent(CDROUTPUT_TABLE);
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (\n  ${cols.join(',\n  ')}\n)`);
  // Keyset pagination newest first runs on exactly this order.
  await client.query(
    `CREATE INDEX IF NOT EXISTS ${sqlIdent(`${CDROUTPUT_TABLE}_started_id_idx`)} ON ${table} (${col('cdr_started_at')} DESC, ${col('cdr_id')} DESC)`,
  );
  await client.query(`CREATE INDEX IF NOT EXISTS ${sqlIdent(`${CDROUTPUT_TABLE}_call_history_idx`)} ON ${table} (${col('call_history_id')})`);
  // 3CX's call-centre table sits next to it (queue statistics, read by the supervisor view).
  await createQueuecallsTable(client);
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A login role that can only read, like 3CX's `logsreader_single`: SELECT on
 * the CDR table, read-only by default. Run it connected to `database`.
 * Idempotent (the password is reset when the role exists).
 */
export async function createReadonlyRole(client: SqlClient, name: string, password: string, database: string): Promise<void> {
  const role = sqlIdent(name);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const verb = exists.rows.length > 0 ? 'ALTER' : 'CREATE';
  // DDL takes no bind parameters, so the password is quoted as a literal.
  await client.query(`${verb} ROLE ${role} LOGIN PASSWORD ${quoteLiteral(password)} NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await client.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
  await client.query(`GRANT CONNECT ON DATABASE ${sqlIdent(database)} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await client.query(`GRANT SELECT ON ${sqlIdent(CDROUTPUT_TABLE)}, ${sqlIdent(QUEUECALLS_TABLE)} TO ${role}`);
}
