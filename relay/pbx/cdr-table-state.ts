// Whether the call-record table is there and has rows. Before 20.0.6 there is
// no `cdroutput`; with the Data Connector's PurgeAfterSync it exists but is
// emptied after every sync. Both need a clear word, not an empty page.
// Like every read of the table, the emptiness check is bounded by a start-time
// range (the last 366 days, the widest range the API serves): a purged table
// full of dead rows must not be walked from its first page.
import { quoteIdent } from './cdr-columns.js';

export type CdrTableState = 'ok' | 'missing' | 'empty';

interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** Two cheap reads: the catalogue (no error for a missing table), then one row at most of the last 366 days. */
export async function cdrTableState(db: Queryable, table: string, startedColumn: string, now: Date): Promise<CdrTableState> {
  const found = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (!found.rows[0]?.present) return 'missing';
  const started = quoteIdent(startedColumn);
  const from = new Date(now.getTime() - 366 * 86_400_000);
  const to = new Date(now.getTime() + 86_400_000);
  const rows = await db.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)} WHERE ${started} >= $1::timestamptz AND ${started} < $2::timestamptz) AS any`,
    [from.toISOString(), to.toISOString()],
  );
  return rows.rows[0]?.any ? 'ok' : 'empty';
}
