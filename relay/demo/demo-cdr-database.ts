// The demo's call-record database: PGlite (PostgreSQL compiled to WASM) in
// memory, served on a free loopback port by pglite-socket so the relay's real
// `pg` code path runs against it. Memory only: PGlite never fsyncs and must
// never share a data dir between processes, and demo data is throwaway.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import type { Logger } from '../core/logger.js';
import { createCdrSchema } from '../sim/cdr-schema.js';
import { seedCdr } from '../sim/cdr-seed.js';

const DAY_MS = 86_400_000;

export interface DemoCdrDatabase {
  /** postgres://…@127.0.0.1:PORT/postgres */
  readonly url: string;
  /**
   * Fills `cdroutput` with generated history, newest month first, through
   * the socket (so it queues fairly with the relay's own queries). Stops
   * early when stop() is called.
   */
  seedHistory(opts: { rows: number; days: number; now: number }): Promise<{ rows: number }>;
  stop(): Promise<void>;
}

export async function startDemoCdrDatabase(logger: Logger): Promise<DemoCdrDatabase> {
  const db = await PGlite.create('memory://');
  await createCdrSchema(db);
  // Several connections: the relay's pool, the simulator's CDR writer and the
  // seeder each hold one; pglite-socket multiplexes them onto the one engine.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  // PGlite accepts any credentials; the URL names a user only because pg needs one.
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  let stopping = false;
  let seeding: Promise<unknown> = Promise.resolve();

  const seedHistory = async (opts: { rows: number; days: number; now: number }): Promise<{ rows: number }> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => logger.debug('demo seeder connection error', { error: err.message }));
    await client.connect();
    let done = 0;
    try {
      // One chunk per ~month, newest first: the recent past is searchable first.
      const chunks = Math.max(1, Math.ceil(opts.days / 30));
      for (let i = 0; i < chunks && !stopping; i++) {
        const to = opts.now - i * 30 * DAY_MS;
        const from = Math.max(opts.now - opts.days * DAY_MS, to - 30 * DAY_MS);
        const count = Math.round(opts.rows / chunks);
        const r = await seedCdr(client, { from: new Date(from), to: new Date(to), count, seed: 1000 + i });
        done += r.rows;
      }
      return { rows: done };
    } finally {
      await client.end().catch(() => {});
    }
  };

  return {
    url,
    seedHistory(opts) {
      const run = seedHistory(opts);
      seeding = run.catch(() => {});
      return run;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      await seeding;
      await server.stop();
      await db.close();
    },
  };
}
