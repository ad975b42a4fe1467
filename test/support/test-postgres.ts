// Typed access, inside integration tests, to the PostgreSQL server started by
// postgres-global-setup.ts, plus fresh databases for tests that need their
// own rows (store tests, CDR tests with a known data set).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createCdrSchema } from '../../relay/sim/cdr-schema.js';

export interface TestPostgresInfo {
  host: string;
  port: number;
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  /** Superuser URL of the shared CDR database (`database_single`). */
  cdrAdminUrl: string;
  /** `logsreader_single` URL of the shared CDR database: SELECT only, read-only transactions. */
  cdrReadonlyUrl: string;
  cdrDatabase: string;
  cdrReadonlyRole: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    relayPostgres: TestPostgresInfo;
  }
}

export function testPostgres(): TestPostgresInfo {
  const info = inject('relayPostgres');
  if (!info) throw new Error('relayPostgres not provided: run this test in the `integration` project');
  return info;
}

export interface ScratchDatabase {
  name: string;
  /** Superuser URL of the new database. */
  url: string;
  /** Drops the database, closing its remaining connections. Idempotent. */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Runs `work` on a fresh connection to `url`, closed afterwards whatever happens. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function adminQuery(sql: string): Promise<void> {
  await withClient(testPostgres().adminUrl, (client) => client.query(sql));
}

/**
 * A fresh, empty database on the test server. With `{ cdrSchema: true }` it
 * also holds an empty `cdroutput`.
 */
export async function createScratchDatabase(prefix: string, opts: { cdrSchema?: boolean } = {}): Promise<ScratchDatabase> {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40) || 'scratch';
  const name = `${safePrefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = withDatabase(testPostgres().adminUrl, name);
  if (opts.cdrSchema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await createCdrSchema(client);
    } finally {
      await client.end();
    }
  }
  let dropped = false;
  return {
    name,
    url,
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
