// The throwaway PostgreSQL harness itself: chaos tests rely on stopping and
// starting it, and every test run relies on stop() leaving nothing behind.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres } from '../../support/postgres-server.js';

async function canQuery(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function postgresProcessesFor(dataDir: string): number {
  const out = execFileSync('ps', ['-eo', 'args']).toString();
  return out.split('\n').filter((l) => l.includes(dataDir)).length;
}

describe('startPostgres', () => {
  it('starts on loopback with password auth, survives stop/start, and stop() removes everything', async () => {
    const server = await startPostgres();
    try {
      expect(server.host).toBe('127.0.0.1');
      expect(await canQuery(server.adminUrl)).toBe(true);
      expect(await canQuery(server.urlFor('postgres', 'postgres', 'wrong'))).toBe(false);

      const c = new pg.Client({ connectionString: server.adminUrl });
      await c.connect();
      await c.query('CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
      await c.end();

      await server.stopServer();
      expect(server.running).toBe(false);
      expect(await canQuery(server.adminUrl)).toBe(false);
      await server.startServer();
      expect(server.running).toBe(true);
      const again = new pg.Client({ connectionString: server.adminUrl });
      await again.connect();
      expect((await again.query('SELECT v FROM kept')).rows).toEqual([{ v: 42 }]);
      await again.end();

      await server.restart();
      expect(await canQuery(server.adminUrl)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dataDir)).toBe(false);
    expect(postgresProcessesFor(server.dataDir)).toBe(0);
    await server.stop();
  });
});
