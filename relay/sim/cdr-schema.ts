// The 3CX V20 call-record table as the simulator, the tests and the demo
// create it. Column names follow docs/3cx-v20.md (`cdroutput`, one row per
// call segment); the exact complete column list of a real 3CX is
// [unconfirmed], so this is the subset the relay reads. Plain SQL only: it
// also runs on PGlite for the demo.

/** What both `pg` (Client, Pool, PoolClient) and PGlite offer. */
export interface SqlClient {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export const CDR_TABLE = 'cdroutput';

/** Column order used for inserts; matches the contract's `Cdr` keys. */
export const CDR_COLUMNS = [
  'cdr_id', 'call_history_id', 'cdr_started_at', 'cdr_answered_at', 'cdr_ended_at',
  'source_dn_number', 'source_dn_type', 'source_dn_name', 'source_participant_name',
  'source_participant_phone_number', 'source_participant_trunk_did', 'source_entity_type',
  'destination_dn_number', 'destination_dn_type', 'destination_dn_name', 'destination_participant_name',
  'destination_participant_phone_number', 'destination_participant_trunk_did', 'destination_entity_type',
  'termination_reason', 'termination_reason_details', 'creation_method', 'originating_cdr_id',
] as const;

export type CdrColumn = (typeof CDR_COLUMNS)[number];

const UUID_COLUMNS = new Set<CdrColumn>(['cdr_id', 'call_history_id', 'originating_cdr_id']);
const TIME_COLUMNS = new Set<CdrColumn>(['cdr_started_at', 'cdr_answered_at', 'cdr_ended_at']);

/** SQL type of each column, used by the DDL and by the bulk insert casts. */
export function cdrColumnType(col: CdrColumn): 'uuid' | 'timestamptz' | 'text' {
  if (UUID_COLUMNS.has(col)) return 'uuid';
  if (TIME_COLUMNS.has(col)) return 'timestamptz';
  return 'text';
}

export async function createCdrSchema(client: SqlClient): Promise<void> {
  const cols = CDR_COLUMNS.map((c) => {
    if (c === 'cdr_id') return 'cdr_id uuid PRIMARY KEY';
    if (c === 'cdr_started_at') return 'cdr_started_at timestamptz NOT NULL';
    return `${c} ${cdrColumnType(c)}`;
  });
  await client.query(`CREATE TABLE IF NOT EXISTS ${CDR_TABLE} (\n  ${cols.join(',\n  ')}\n)`);
  // Keyset pagination newest first runs on exactly this order.
  await client.query(
    `CREATE INDEX IF NOT EXISTS cdroutput_started_id_idx ON ${CDR_TABLE} (cdr_started_at DESC, cdr_id DESC)`,
  );
  await client.query(`CREATE INDEX IF NOT EXISTS cdroutput_call_history_idx ON ${CDR_TABLE} (call_history_id)`);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
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
  await client.query(`GRANT SELECT ON ${CDR_TABLE} TO ${role}`);
}
