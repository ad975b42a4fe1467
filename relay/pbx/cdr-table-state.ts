// Whether the call-record table is there and has rows. Before 20.0.6 there is
// no `cdroutput`; with the Data Connector's PurgeAfterSync it exists but is
// emptied after every sync. Both need a clear word, not an empty page.
import { quoteIdent } from './cdr-columns.js';

export type CdrTableState = 'ok' | 'missing' | 'empty';

interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/** Two cheap reads: the catalogue (no error for a missing table), then one row at most. */
export async function cdrTableState(db: Queryable, table: string): Promise<CdrTableState> {
  const found = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
  if (!found.rows[0]?.present) return 'missing';
  const rows = await db.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)}) AS any`);
  return rows.rows[0]?.any ? 'ok' : 'empty';
}
