// A throwaway PostgreSQL 15 server for tests: its own temporary data folder,
// a free loopback port, password auth over TCP (like a real 3CX box, so a
// wrong password is a real failure), and a stop() that leaves nothing behind.
// Chaos tests use stopServer()/startServer() to take it away and bring it back
// on the same port with the same data.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PG_BIN = process.env.RELAY_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgServerOptions {
  /** Superuser password for TCP connections (default: random). */
  adminPassword?: string;
  /** fsync and friends off: fine for tests, the OS never crashes under them (default false). */
  durable?: boolean;
  maxConnections?: number;
}

export interface PgServer {
  readonly host: string;
  readonly port: number;
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres */
  readonly adminUrl: string;
  readonly adminPassword: string;
  readonly dataDir: string;
  /** URL of another database on this server as the superuser. */
  urlFor(database: string, user?: string, password?: string): string;
  /** Stop the server process, keep the data (chaos tests). Idempotent. */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Start it again on the same port with the same data. Idempotent. */
  startServer(): Promise<void>;
  restart(): Promise<void>;
  readonly running: boolean;
  /** Stop the server and delete the temporary folder. Idempotent. */
  stop(): Promise<void>;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Run a PostgreSQL binary; as root it must run as the `postgres` user. */
function pgCommand(bin: string, args: string[]): [string, string[]] {
  const exe = path.join(PG_BIN, bin);
  return isRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

async function pg(bin: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const [cmd, argv] = pgCommand(bin, args);
  const { stdout } = await run(cmd, argv, { timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } });
  return stdout;
}

function pgSync(bin: string, args: string[]): void {
  const [cmd, argv] = pgCommand(bin, args);
  try {
    execFileSync(cmd, argv, { stdio: 'ignore', timeout: 20_000 });
  } catch {
    // best effort on exit
  }
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export async function startPostgres(opts: PgServerOptions = {}): Promise<PgServer> {
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'relay-pg-'));
  const dataDir = path.join(baseDir, 'data');
  const logFile = path.join(baseDir, 'server.log');
  const adminPassword = opts.adminPassword ?? randomBytes(12).toString('hex');
  const pwFile = path.join(baseDir, 'pwfile');
  writeFileSync(pwFile, `${adminPassword}\n`, { mode: 0o600 });
  if (isRoot) {
    const { uid, gid } = postgresIds();
    chownSync(baseDir, uid, gid);
    chownSync(pwFile, uid, gid);
  }

  let removed = false;
  const removeDir = () => {
    if (removed) return;
    removed = true;
    rmSync(baseDir, { recursive: true, force: true });
  };

  try {
    await pg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256',
      `--pwfile=${pwFile}`, '--no-sync', '-E', 'UTF8', '--locale=C']);
  } catch (err) {
    removeDir();
    throw new Error(`initdb failed: ${(err as Error).message}`, { cause: err });
  }
  rmSync(pwFile, { force: true });

  const settings = [
    '-c listen_addresses=127.0.0.1',
    `-k ${baseDir}`,
    `-c max_connections=${opts.maxConnections ?? 200}`,
    ...(opts.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
  ];

  let port = 0;
  let running = false;
  const pgCtlStart = async (p: number) => {
    await pg('pg_ctl', ['-D', dataDir, '-w', '-t', '30', '-l', logFile, '-o', `-p ${p} ${settings.join(' ')}`, 'start']);
  };

  // A free port can be taken between our probe and the server's bind: retry.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5 && !running; attempt++) {
    const candidate = await freeLoopbackPort();
    try {
      await pgCtlStart(candidate);
      port = candidate;
      running = true;
    } catch (err) {
      lastError = err;
    }
  }
  if (!running) {
    removeDir();
    throw new Error(`could not start PostgreSQL: ${(lastError as Error)?.message}`, { cause: lastError });
  }

  // Never leave a postgres process behind, even when the test process dies
  // without calling stop().
  const onExit = () => {
    if (running) pgSync('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']);
    removeDir();
  };
  process.once('exit', onExit);

  const host = '127.0.0.1';
  const urlFor = (database: string, user = 'postgres', password = adminPassword) =>
    `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;

  const stopServer = async (mode: 'fast' | 'immediate' = 'fast') => {
    if (!running) return;
    await pg('pg_ctl', ['-D', dataDir, '-w', '-m', mode, 'stop']);
    running = false;
  };
  const startServer = async () => {
    if (running || removed) return;
    await pgCtlStart(port);
    running = true;
  };

  return {
    host,
    port,
    adminUrl: urlFor('postgres'),
    adminPassword,
    dataDir,
    urlFor,
    get running() {
      return running;
    },
    stopServer,
    startServer,
    async restart() {
      await stopServer('fast');
      await startServer();
    },
    async stop() {
      process.off('exit', onExit);
      try {
        await stopServer('immediate');
      } finally {
        removeDir();
      }
    },
  };
}
