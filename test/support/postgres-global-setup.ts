// Vitest globalSetup of the `integration` project: one real PostgreSQL 15 for
// the whole run, holding a 3CX-like CDR database (`database_single` with
// `cdroutput`) and a read-only role like 3CX's (`logsreader_single`). Tests
// read the connection info with testPostgres() from ./test-postgres.ts.
// Chaos tests that stop the server start their own with startPostgres().
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createCdrSchema, createReadonlyRole } from '../../relay/sim/cdr-schema.js';
import { startPostgres } from './postgres-server.js';
import type { TestPostgresInfo } from './test-postgres.js';

export const CDR_DATABASE = 'database_single';
export const CDR_READONLY_ROLE = 'logsreader_single';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${CDR_DATABASE}`);
    } finally {
      await admin.end();
    }
    const readonlyPassword = randomBytes(12).toString('hex');
    const cdr = new pg.Client({ connectionString: server.urlFor(CDR_DATABASE) });
    await cdr.connect();
    try {
      await createCdrSchema(cdr);
      await createReadonlyRole(cdr, CDR_READONLY_ROLE, readonlyPassword, CDR_DATABASE);
    } finally {
      await cdr.end();
    }
    const info: TestPostgresInfo = {
      host: server.host,
      port: server.port,
      adminUrl: server.adminUrl,
      cdrAdminUrl: server.urlFor(CDR_DATABASE),
      cdrReadonlyUrl: server.urlFor(CDR_DATABASE, CDR_READONLY_ROLE, readonlyPassword),
      cdrDatabase: CDR_DATABASE,
      cdrReadonlyRole: CDR_READONLY_ROLE,
    };
    project.provide('relayPostgres', info);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return () => server.stop();
}
