// A 3CX-like call-record database on a throwaway server: `database_single`
// holding `cdroutput`, and a read-only login role like 3CX's
// `logsreader_single`. Used by the integration global setup; e2e and bench
// set-ups that start their own server can call it too.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createCdrSchema, createReadonlyRole, type SqlClient } from '../../relay/sim/cdr-schema.js';
import type { PgServer } from './postgres-server.js';

export const CDR_DATABASE = 'database_single';
export const CDR_READONLY_ROLE = 'logsreader_single';

export interface CdrDatabase {
  database: string;
  readonlyRole: string;
  readonlyPassword: string;
  /** Superuser URL of the CDR database (for seeding). */
  adminUrl: string;
  /** The read-only role's URL: what the relay is given. */
  readonlyUrl: string;
}

export async function createCdrDatabase(
  server: Pick<PgServer, 'adminUrl' | 'urlFor'>,
  opts: { database?: string; readonlyRole?: string; readonlyPassword?: string; seed?: (client: SqlClient) => Promise<unknown> } = {},
): Promise<CdrDatabase> {
  const database = opts.database ?? CDR_DATABASE;
  const readonlyRole = opts.readonlyRole ?? CDR_READONLY_ROLE;
  const readonlyPassword = opts.readonlyPassword ?? randomBytes(12).toString('hex');
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  const adminUrl = server.urlFor(database);
  const cdr = new pg.Client({ connectionString: adminUrl });
  await cdr.connect();
  try {
    await createCdrSchema(cdr);
    await createReadonlyRole(cdr, readonlyRole, readonlyPassword, database);
    await opts.seed?.(cdr);
  } finally {
    await cdr.end();
  }
  return { database, readonlyRole, readonlyPassword, adminUrl, readonlyUrl: server.urlFor(database, readonlyRole, readonlyPassword) };
}
