// Vitest globalSetup of the `integration` project: one real PostgreSQL 15 for
// the whole run, holding a 3CX-like CDR database (`database_single` with
// `cdroutput`) and a read-only role like 3CX's (`logsreader_single`). Tests
// read the connection info with testPostgres() from ./test-postgres.ts.
// Chaos tests that stop the server start their own with startPostgres().
import type { TestProject } from 'vitest/node';
import { createCdrDatabase } from './cdr-database.js';
import { startPostgres } from './postgres-server.js';
import type { TestPostgresInfo } from './test-postgres.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  try {
    const cdr = await createCdrDatabase(server);
    const info: TestPostgresInfo = {
      host: server.host,
      port: server.port,
      adminUrl: server.adminUrl,
      cdrAdminUrl: cdr.adminUrl,
      cdrReadonlyUrl: cdr.readonlyUrl,
      cdrDatabase: cdr.database,
      cdrReadonlyRole: cdr.readonlyRole,
    };
    project.provide('relayPostgres', info);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return () => server.stop();
}
