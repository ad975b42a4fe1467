// The demo's call-record database: PGlite (PostgreSQL compiled to WASM) in
// memory, served on a free loopback port through pglite-socket's protocol
// handler (see pglite-session-server.ts) so the relay's real `pg` code path
// runs against it. Memory only: PGlite never fsyncs and must
// never share a data dir between processes, and demo data is throwaway.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Logger } from '../core/logger.js';
import { DAY_MS } from '../core/time-units.js';
import { createCdrSchema } from '../sim/cdr-schema.js';
import { seedCdr } from '../sim/cdr-seed.js';
import { servePglite } from './pglite-session-server.js';


export interface DemoCdrDatabase {
  /** postgres://…@127.0.0.1:PORT/postgres; accepts connections at once, answers once `ready`. */
  readonly url: string;
  /** PGlite started and `cdroutput` created (a few seconds: the WASM engine boots). */
  readonly ready: Promise<void>;
  /**
   * Fills `cdroutput` with generated history, newest month first, through
   * the socket (so it queues fairly with the relay's own queries). Stops
   * early when stop() is called.
   */
  seedHistory(opts: { rows: number; days: number; now: number }): Promise<{ rows: number }>;
  stop(): Promise<void>;
}

export async function startDemoCdrDatabase(logger: Logger): Promise<DemoCdrDatabase> {
  const database = (async () => {
    const db = await PGlite.create('memory://');
    await createCdrSchema(db);
    return db;
  })();
  const ready = database.then(() => undefined);
  // Several connections (the relay's pool, the simulator's CDR writer, the
  // seeder) take turns on the one engine.
  const server = await servePglite(database);
  // PGlite accepts any credentials; the URL names a user only because pg needs one.
  const url = `postgres://postgres@${server.host}:${server.port}/postgres`;
  let stopping = false;
  let seeding: Promise<unknown> = Promise.resolve();
  let seeder: pg.Client | null = null;

  const seedHistory = async (opts: { rows: number; days: number; now: number }): Promise<{ rows: number }> => {
    await ready;
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => logger.debug('demo seeder connection error', { error: err.message }));
    seeder = client;
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
    } catch (e) {
      // stop() cut the seeder's connection: not a failure, just the end.
      if (stopping) return { rows: done };
      throw e;
    } finally {
      seeder = null;
      await client.end().catch(() => {});
    }
  };

  return {
    url,
    ready,
    seedHistory(opts) {
      const run = seedHistory(opts);
      seeding = run.catch(() => {});
      return run;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      // Do not wait for the current month of history: end its connection.
      seeder?.connection.stream.destroy();
      await seeding;
      await server.stop();
      const db = await database.catch(() => null);
      await db?.close();
    },
  };
}
