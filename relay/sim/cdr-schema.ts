// The 3CX V20 call-record table as the simulator, the tests and the demo
// create it. Table and column names come from the relay's one mapping module
// (relay/pbx/cdr-columns.ts, names per docs/3cx-v20.md), so a release with
// other names is still one edit. The complete column list of a real 3CX is
// [unconfirmed]: this is the subset the relay reads. Plain SQL only: it also
// runs on PGlite for the demo.
import type { Cdr } from '../contract/api-types.js';
import { CDR_COLUMNS, CDR_FIELDS, CDR_TABLE, CDR_TIME_FIELDS, quoteIdent } from '../pbx/cdr-columns.js';

export { CDR_TABLE };

/** What both `pg` (Client, Pool, PoolClient) and PGlite offer. */
export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

const UUID_FIELDS = new Set<keyof Cdr>(['cdr_id', 'call_history_id', 'originating_cdr_id']);
const TIME_FIELDS = new Set<keyof Cdr>(CDR_TIME_FIELDS);

/** SQL type of each field's column, used by the DDL and by the bulk insert. */
export function cdrColumnType(field: keyof Cdr): 'uuid' | 'timestamptz' | 'text' {
  if (UUID_FIELDS.has(field)) return 'uuid';
  if (TIME_FIELDS.has(field)) return 'timestamptz';
  return 'text';
}

export async function createCdrSchema(client: SqlClient): Promise<void> {
  const col = (f: keyof Cdr) => quoteIdent(CDR_COLUMNS[f]);
  const cols = CDR_FIELDS.map((f) => {
    const constraint = f === 'cdr_id' ? ' PRIMARY KEY' : f === 'cdr_started_at' ? ' NOT NULL' : '';
    return `${col(f)} ${cdrColumnType(f)}${constraint}`;
  });
  const table = quoteIdent(CDR_TABLE);
  await client.query(`CREATE TABLE IF NOT EXISTS ${table} (\n  ${cols.join(',\n  ')}\n)`);
  // Keyset pagination newest first runs on exactly this order.
  await client.query(
    `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${CDR_TABLE}_started_id_idx`)} ON ${table} (${col('cdr_started_at')} DESC, ${col('cdr_id')} DESC)`,
  );
  await client.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${CDR_TABLE}_call_history_idx`)} ON ${table} (${col('call_history_id')})`);
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
  const role = quoteIdent(name);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]);
  const verb = exists.rows.length > 0 ? 'ALTER' : 'CREATE';
  // DDL takes no bind parameters, so the password is quoted as a literal.
  await client.query(`${verb} ROLE ${role} LOGIN PASSWORD ${quoteLiteral(password)} NOSUPERUSER NOCREATEDB NOCREATEROLE`);
  await client.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
  await client.query(`GRANT CONNECT ON DATABASE ${quoteIdent(database)} TO ${role}`);
  await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
  await client.query(`GRANT SELECT ON ${quoteIdent(CDR_TABLE)} TO ${role}`);
}
