// Call records from the PBX's PostgreSQL. Read-only by construction: every
// statement runs in a READ ONLY transaction with a statement timeout, and
// every statement that reads the table is bounded by a start-time range
// (3CX's own database may have no index on it: no query may scan it whole).
// Pages use keyset pagination (newest first on start time, then id) so page
// N costs the same as page 1.
//
// The CSV export lets PostgreSQL write the CSV: `COPY (SELECT …) TO STDOUT
// WITH (FORMAT csv)` with ISO times and the formula rule in the SELECT, read
// through pg-copy-out.ts with backpressure, so memory stays flat and the
// relay only moves bytes (the physical limit of this export is that COPY).
// stream() still reads rows as objects through a server-side cursor.
//
// A COPY or a cursor is one statement however long the export takes, so
// there are two bounds: the server-side statement_timeout of an export is the
// long `exportTimeoutMs`, and each wait for the next chunk or batch is bounded
// here by `statementTimeoutMs`; one that overruns is cancelled on the server.
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { Cdr, CdrPage } from '../contract/api-types.js';
import { RelayError, describeError, isRelayError } from '../core/relay-error.js';
import { passwordInUrl, redactString } from '../core/redact.js';
import { FORMULA_START } from '../core/formula-start.js';
import { CDR_CALL_COUNT_SQL, callCountParams, checkCallCountQuery, toCallCounts } from './cdr-call-counts.js';
import { CDR_COLUMNS, CDR_FIELDS, CDR_ORDER_ID, CDR_ORDER_TIME, CDR_TABLE, CDR_TIME_FIELDS, quoteIdent } from './cdr-columns.js';
import { cdrTableState } from './cdr-table-state.js';
import { cdrTableUnusable } from './upstream-error-messages.js';
import type { CdrConnection } from './cdr-connection.js';
import { resolveCdrConnection } from './cdr-connection.js';
import type { CdrKey } from './cdr-cursor.js';
import { decodeCdrCursor, encodeCdrCursor } from './cdr-cursor.js';
import { ComponentStatus, type ComponentDeps } from './component-status.js';
import type { CdrConfig } from './pbx-config.js';
import { checkQueueDayQuery, queueDayParams, queueDaySql, toQueueDayRows, type QueueCallsMapping, type QueueDayQuery, type QueueDayRow } from './queue-calls-query.js';
import { CopyOut } from './pg-copy-out.js';
import type { CdrCallCountQuery, CdrCallCounts, CdrCsvChunk, CdrPageRequest, CdrPort, CdrRangeQuery, CdrValues } from './upstream.js';

export interface CdrRepositoryOptions extends ComponentDeps {
  /** Null when no database is configured (state `unconfigured`). */
  config: CdrConfig | null;
  /** Per statement, and per batch read of an export (default 15 s). */
  statementTimeoutMs?: number;
  /** Whole export, enforced by the server as a backstop (default 30 min). */
  exportTimeoutMs?: number;
  /** Pool size; the PBX's database is not ours to load (default 3). */
  poolMax?: number;
  /** Waiting for a connection (default 5 s). */
  connectTimeoutMs?: number;
}

export const MAX_PAGE_LIMIT = 1000;
export const DEFAULT_BATCH_SIZE = 1000;

/** A batch or chunk read of an export overran statementTimeoutMs. */
class BatchTimeout extends Error {
  constructor(ms: number) {
    super(`call-record export batch took longer than ${ms} ms`);
  }
}

/** Bytes of CSV per chunk handed to the export (a few thousand writes for a million rows). */
const CSV_CHUNK_BYTES = 64 * 1024;
/** A stopped COPY that ends within this once its output is dropped needs no cancel. */
const COPY_DRAIN_GRACE_MS = 50;

// Column names as PostgreSQL answers them, so pg hands back contract keys.
const KEY_TIME = '__key_started_at';
const KEY_ID = '__key_id';
const T = 't';
const TIME_FIELDS = new Set<string>(CDR_TIME_FIELDS);
// Times leave PostgreSQL already as ISO-8601 UTC text: no Date round trip per
// value (the export's hot path), and the same answer for timestamptz and for
// timestamp columns (the session runs in UTC, see #begin).
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
function selectField(f: keyof Cdr): string {
  const col = `${T}.${quoteIdent(CDR_COLUMNS[f])}`;
  const value = TIME_FIELDS.has(f) ? `to_char(${col} AT TIME ZONE 'UTC', ${ISO_UTC})` : `${col}::text`;
  return `${value} AS ${quoteIdent(f)}`;
}
const FIELD_LIST = CDR_FIELDS.map(selectField).join(', ');
// Pages also answer the exact keyset (microseconds) for the next cursor; exports do not need it.
const KEY_LIST = [
  `${T}.${quoteIdent(CDR_COLUMNS[CDR_ORDER_TIME])}::text AS ${quoteIdent(KEY_TIME)}`,
  `${T}.${quoteIdent(CDR_COLUMNS[CDR_ORDER_ID])}::text AS ${quoteIdent(KEY_ID)}`,
].join(', ');
const ORDER_TIME = `${T}.${quoteIdent(CDR_COLUMNS[CDR_ORDER_TIME])}`;
const ORDER_ID = `${T}.${quoteIdent(CDR_COLUMNS[CDR_ORDER_ID])}`;

// The export's select list: what PostgreSQL writes as CSV is byte for byte
// what csv-text.ts would write for the same values. '' becomes NULL (COPY
// quotes an empty string, csv-stringify did not), and a text cell starting
// with a FORMULA_START character gets a `'` in front (ascii() compares one
// integer, far cheaper per cell than a pattern). Times cannot start with one.
// The inner SELECT turns each value into text once; the outer one applies
// the rule, which names the value three times (flattened, PostgreSQL would
// convert it for each: measured, the fence makes the COPY ~25 % cheaper).
// OFFSET 0 keeps the inner query from being flattened; a plain projection
// over it keeps the inner ORDER BY.
const FORMULA_CODES = FORMULA_START.map((c) => c.charCodeAt(0)).join(', ');
const CSV_INNER_LIST = CDR_FIELDS.map((f, i) => {
  const col = `${T}.${quoteIdent(CDR_COLUMNS[f])}`;
  return `${TIME_FIELDS.has(f) ? `to_char(${col} AT TIME ZONE 'UTC', ${ISO_UTC})` : `${col}::text`} AS v${i}`;
}).join(', ');
const CSV_OUTER_LIST = CDR_FIELDS.map((f, i) =>
  TIME_FIELDS.has(f) ? `s.v${i}` : `CASE WHEN ascii(s.v${i}) IN (${FORMULA_CODES}) THEN '''' || s.v${i} ELSE NULLIF(s.v${i}, '') END`,
).join(', ');

/** A Date as a timestamptz literal: COPY takes no bind parameters. */
function timeLiteral(d: Date): string {
  const iso = d.toISOString();
  // toISOString() only ever answers digits, '-', '+', ':', '.', 'T' and 'Z'; checked anyway, it goes into SQL.
  if (!/^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso)) throw RelayError.badRequest('`from` and `to` must be valid dates');
  return `'${iso}'::timestamptz`;
}

/** The export: cdrRangeSql's rows (no cursor, no limit) as CSV records written by PostgreSQL. */
export function cdrCsvCopySql(q: CdrRangeQuery): string {
  const where = `${ORDER_TIME} >= ${timeLiteral(q.from)} AND ${ORDER_TIME} < ${timeLiteral(q.to)}`;
  const inner = `SELECT ${CSV_INNER_LIST} FROM ${quoteIdent(CDR_TABLE)} ${T} WHERE ${where} ORDER BY ${ORDER_TIME} DESC, ${ORDER_ID} DESC OFFSET 0`;
  return `COPY (SELECT ${CSV_OUTER_LIST} FROM (${inner}) s) TO STDOUT WITH (FORMAT csv)`;
}

/**
 * The one query: rows with from <= start < to, older than the cursor key if
 * given, newest first. Parameters: $1 from, $2 to, then [$3 time, $4 id],
 * then the limit if any. Column names come from cdr-columns.ts only. The
 * select list is CDR_FIELDS in order, then (unless `key` is false) the keyset.
 */
export function cdrRangeSql(opts: { after: boolean; limit: boolean; key?: boolean }): string {
  const where = [`${ORDER_TIME} >= $1::timestamptz`, `${ORDER_TIME} < $2::timestamptz`];
  // Untyped $3/$4 take the columns' own types, so the key round-trips exactly (microseconds, uuid).
  if (opts.after) where.push(`(${ORDER_TIME}, ${ORDER_ID}) < ($3, $4)`);
  const limit = opts.limit ? ` LIMIT $${opts.after ? 5 : 3}` : '';
  const select = opts.key === false ? FIELD_LIST : `${FIELD_LIST}, ${KEY_LIST}`;
  return `SELECT ${select} FROM ${quoteIdent(CDR_TABLE)} ${T} WHERE ${where.join(' AND ')} ORDER BY ${ORDER_TIME} DESC, ${ORDER_ID} DESC${limit}`;
}

type Row = Record<string, string | null>;
/** An export row as pg answers it in rowMode 'array'. */
type ValuesRow = (string | null)[];

/** A database row (every field selected as text, aliased to contract keys) in the contract's Cdr shape. */
export function toCdr(row: Row): Cdr {
  const out = {} as Record<keyof Cdr, string | null>;
  for (const f of CDR_FIELDS) out[f] = row[f] ?? null;
  return out as Cdr;
}

/** An export row (values in CDR_FIELDS order) in the contract's Cdr shape. */
function cdrOfValues(values: CdrValues): Cdr {
  const out = {} as Record<keyof Cdr, string | null>;
  for (let i = 0; i < CDR_FIELDS.length; i++) out[CDR_FIELDS[i] as keyof Cdr] = values[i] ?? null;
  return out as Cdr;
}

function keyOf(row: Row): CdrKey {
  return { startedAt: String(row[KEY_TIME]), id: String(row[KEY_ID]) };
}

function checkRange(q: CdrRangeQuery): void {
  if (!(q.from instanceof Date) || Number.isNaN(q.from.getTime()) || !(q.to instanceof Date) || Number.isNaN(q.to.getTime())) {
    throw RelayError.badRequest('`from` and `to` must be valid dates');
  }
  if (q.from.getTime() > q.to.getTime()) throw RelayError.badRequest('`from` must not be after `to`');
}

// SQLSTATE classes and codes that mean "the database is unreachable or refused us", not "this query failed".
const CONNECTION_CODES = new Set(['28P01', '28000', '3D000', '57P01', '57P02', '57P03', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/** An error PostgreSQL raised for the statement itself (missing table, cancelled, ...), not for the connection or the login. */
function isStatementError(e: unknown): boolean {
  const code = sqlState(e);
  return /^[0-9A-Z]{5}$/.test(code) && !CONNECTION_CODES.has(code) && !code.startsWith('08') && !code.startsWith('28');
}

function sqlState(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

export class CdrRepository extends ComponentStatus implements CdrPort {
  readonly #config: CdrConfig | null;
  readonly #statementTimeoutMs: number;
  readonly #exportTimeoutMs: number;
  readonly #poolMax: number;
  readonly #connectTimeoutMs: number;
  #pool: pg.Pool | null = null;
  #poolStarting: Promise<pg.Pool> | null = null;
  #connection: CdrConnection | null = null;
  #secrets: string[] = [];
  #stopped = false;

  constructor(opts: CdrRepositoryOptions) {
    super('database', opts, opts.config !== null);
    this.#config = opts.config;
    this.#statementTimeoutMs = opts.statementTimeoutMs ?? 15_000;
    this.#exportTimeoutMs = opts.exportTimeoutMs ?? 30 * 60_000;
    this.#poolMax = opts.poolMax ?? 3;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 5_000;
  }

  async start(): Promise<void> {
    if (!this.#config) return;
    this.#stopped = false;
    this.setState('connecting');
    await this.check();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#closePool();
    if (this.#config) this.setState('disconnected', null);
  }

  async reconnect(): Promise<void> {
    if (!this.#config) return;
    await this.#closePool();
    this.#stopped = false;
    this.setState('connecting');
    await this.check();
  }

  async check(): Promise<void> {
    if (!this.#config || this.#stopped) return;
    const started = this.clock.now();
    try {
      const pool = await this.#getPool();
      await pool.query('SELECT 1');
      // A missing or empty cdroutput gets a clear message (cdr-table-state.ts).
      const table = await cdrTableState(pool, CDR_TABLE, CDR_COLUMNS.cdr_started_at, new Date(this.clock.now()));
      if (table === 'missing') return this.#failConnection(cdrTableUnusable('missing', CDR_TABLE));
      this.recordLatency(this.clock.now() - started);
      this.setState('connected');
      if (table === 'empty') this.reportFault('warning', cdrTableUnusable('empty', CDR_TABLE));
    } catch (e) {
      this.#mapError(e);
    }
  }

  async page(q: CdrPageRequest): Promise<CdrPage> {
    checkRange(q);
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > MAX_PAGE_LIMIT) {
      throw RelayError.badRequest(`limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`);
    }
    const after = q.cursor ? decodeCdrCursor(q.cursor) : null;
    const params: unknown[] = [q.from.toISOString(), q.to.toISOString()];
    if (after) params.push(after.startedAt, after.id);
    // One more than asked tells whether another page exists without a count.
    params.push(q.limit + 1);
    const rows = await this.#readOnly(async (client) => {
      const res = await client.query<Row>({ text: cdrRangeSql({ after: !!after, limit: true }), values: params });
      return res.rows;
    }, !!after);
    const more = rows.length > q.limit;
    const pageRows = more ? rows.slice(0, q.limit) : rows;
    const last = pageRows[pageRows.length - 1];
    return { rows: pageRows.map(toCdr), nextCursor: more && last ? encodeCdrCursor(keyOf(last)) : null };
  }

  async callCounts(q: CdrCallCountQuery): Promise<CdrCallCounts> {
    checkCallCountQuery(q);
    const rows = await this.#readOnly(async (client) => {
      const res = await client.query<{ bucket: number; calls: number; today: number }>({ text: CDR_CALL_COUNT_SQL, values: callCountParams(q) });
      return res.rows;
    }, false);
    return toCallCounts(rows, q.hours);
  }

  async queueDay(q: QueueDayQuery, mapping: QueueCallsMapping): Promise<QueueDayRow[]> {
    checkQueueDayQuery(q);
    const rows = await this.#readOnly(async (client) => {
      const res = await client.query<Parameters<typeof toQueueDayRows>[0][number]>({ text: queueDaySql(mapping), values: queueDayParams(q) });
      return res.rows;
    }, false, true);
    return toQueueDayRows(rows);
  }

  async *stream(q: CdrRangeQuery, opts: { batchSize?: number; signal?: AbortSignal } = {}): AsyncIterable<Cdr> {
    // Leaving this loop early returns the batch iterator, which closes the cursor.
    for await (const batch of this.#batches(q, opts)) {
      for (const values of batch) yield cdrOfValues(values);
    }
  }

  /**
   * The range as CSV records written by PostgreSQL, in chunks of about
   * CSV_CHUNK_BYTES. Nothing is yielded before the first chunk (or the end)
   * arrived, so a failing database fails before any byte is written.
   * Leaving the loop early stops the COPY on the server and keeps the
   * connection.
   */
  async *csvChunks(q: CdrRangeQuery, opts: { signal?: AbortSignal; chunkBytes?: number } = {}): AsyncIterable<CdrCsvChunk> {
    checkRange(q);
    const sql = cdrCsvCopySql(q);
    const signal = opts.signal;
    signal?.throwIfAborted();
    const client = await this.#connect();
    // A connection that dies mid-export fails the COPY; without a listener it would also crash the process.
    const onClientError = () => undefined;
    client.on('error', onClientError);
    let failed: unknown = null;
    let copy: CopyOut | null = null;
    let backendPid: number | null = null;
    try {
      backendPid = await this.#begin(client, this.#exportTimeoutMs);
      const out = copy = client.query(new CopyOut(sql, { chunkBytes: opts.chunkBytes ?? CSV_CHUNK_BYTES }));
      yield* this.#readUntilEnd(() => this.#nextChunk(out, signal), signal);
    } catch (e) {
      failed = e;
      throw signal?.aborted ? e : this.#mapError(e);
    } finally {
      // Also reached when the consumer stops early (break / return).
      await this.#endCopy(client, copy, backendPid, failed);
      client.off('error', onClientError);
    }
  }

  /** The next chunk of a COPY, given up after statementTimeoutMs without one, or when `signal` aborts. */
  #nextChunk(copy: CopyOut, signal: AbortSignal | undefined): Promise<CdrCsvChunk | null> {
    return new Promise<CdrCsvChunk | null>((resolve, reject) => {
      const onAbort = () => settle(() => reject(signal?.reason));
      const timer = this.clock.setTimeout(() => settle(() => reject(new BatchTimeout(this.#statementTimeoutMs))), this.#statementTimeoutMs);
      let settled = false;
      const settle = (how: () => void) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        signal?.removeEventListener('abort', onAbort);
        how();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      copy.next().then((chunk) => settle(() => resolve(chunk)), (e: unknown) => settle(() => reject(e)));
    });
  }

  /**
   * Ends an export's transaction. A COPY still running (the consumer left, or
   * a read overran) has its remaining output dropped; unless it then ends at
   * once (all of it was already sent, as PGlite in the demo does), it is
   * cancelled on the server. The cancel is awaited before the connection is
   * reused, so it can never hit a later statement. The connection goes back
   * to the pool once the COPY ended, or is closed if it does not end within
   * statementTimeoutMs.
   */
  async #endCopy(client: pg.PoolClient, copy: CopyOut | null, backendPid: number | null, failed: unknown): Promise<void> {
    if (copy && !copy.finished) {
      copy.discard();
      if (!(await this.#settledWithin(copy, COPY_DRAIN_GRACE_MS))) await this.#cancelBackend(backendPid, copy.settled);
      const ended = await this.#settledWithin(copy, this.#statementTimeoutMs);
      if (!ended) {
        client.release(new Error('a cancelled call-record export did not stop'));
        return;
      }
      failed ??= new Error('the export stopped early');
    }
    await this.#finish(client, failed);
  }

  #settledWithin(copy: CopyOut, ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = this.clock.setTimeout(() => resolve(false), ms);
      void copy.settled.then(() => {
        timer.cancel();
        resolve(true);
      });
    });
  }

  /**
   * Rows arrive as arrays (pg rowMode 'array', every column already text), so
   * stream() builds one object per row and nothing else.
   */
  async *#batches(q: CdrRangeQuery, opts: { batchSize?: number; signal?: AbortSignal } = {}): AsyncIterable<readonly CdrValues[]> {
    checkRange(q);
    const batchSize = Math.max(1, Math.min(opts.batchSize ?? DEFAULT_BATCH_SIZE, 10_000));
    const signal = opts.signal;
    signal?.throwIfAborted();
    const client = await this.#connect();
    let failed: unknown = null;
    let cursor: Cursor<ValuesRow> | null = null;
    let backendPid: number | null = null;
    try {
      backendPid = await this.#begin(client, this.#exportTimeoutMs);
      const rows = cursor = client.query(
        new Cursor<ValuesRow>(cdrRangeSql({ after: false, limit: false, key: false }), [q.from.toISOString(), q.to.toISOString()], { rowMode: 'array' }),
      );
      yield* this.#readUntilEnd(async () => {
        const batch = await this.#readBatch(rows, batchSize);
        return batch.length > 0 ? batch : null;
      }, signal);
    } catch (e) {
      failed = e;
      throw signal?.aborted ? e : this.#mapError(e);
    } finally {
      // Also reached when the consumer stops early (break / return).
      if (failed instanceof BatchTimeout) {
        // The connection is stuck in the read: stop the query on the server, then drop the connection.
        await this.#cancelBackend(backendPid);
        client.release(failed);
      } else {
        await this.#finish(client, failed, cursor);
      }
    }
  }

  /**
   * What `read` gives, piece by piece, until it gives null: the one read loop of
   * the export and the stream, each piece proving the database is reachable.
   */
  async *#readUntilEnd<T>(read: () => Promise<T | null>, signal: AbortSignal | undefined): AsyncIterable<T> {
    for (;;) {
      signal?.throwIfAborted();
      const piece = await read();
      if (piece === null) return;
      if (!this.#stopped) this.setState('connected');
      yield piece;
    }
  }

  /** One cursor read, abandoned after statementTimeoutMs (the caller then ends the connection). */
  #readBatch(cursor: Cursor<ValuesRow>, size: number): Promise<ValuesRow[]> {
    return new Promise<ValuesRow[]>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => reject(new BatchTimeout(this.#statementTimeoutMs)), this.#statementTimeoutMs);
      cursor.read(size).then(
        (rows) => {
          timer.cancel();
          resolve(rows);
        },
        (e: unknown) => {
          // After a timeout this rejection (connection ended) lands on a settled promise: ignored.
          timer.cancel();
          reject(e);
        },
      );
    });
  }

  // ---- connection handling ----

  async #getPool(): Promise<pg.Pool> {
    if (this.#pool) return this.#pool;
    if (!this.#config) throw RelayError.unconfigured('the call-record database');
    this.#poolStarting ??= this.#createPool(this.#config).finally(() => {
      this.#poolStarting = null;
    });
    return this.#poolStarting;
  }

  async #createPool(config: CdrConfig): Promise<pg.Pool> {
    let connection: CdrConnection;
    try {
      connection = await resolveCdrConnection(config);
    } catch (e) {
      // An unreadable ini file or bad URL is this component's configuration fault.
      this.#failConnection(describeError(e));
      throw e;
    }
    this.#connection = connection;
    this.#secrets = secretsOf(connection);
    const pool = new pg.Pool({
      ...connection.pg,
      max: this.#poolMax,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      application_name: '3cx-relay-companion',
      allowExitOnIdle: true,
    });
    // An idle connection that dies (server restart) must not crash the process.
    pool.on('error', (e) => {
      this.#mapError(e);
    });
    this.#pool = pool;
    this.log.info('call-record database pool created', { database: connection.describe });
    for (const warning of connection.warnings ?? []) this.log.warn(warning);
    return pool;
  }

  async #closePool(): Promise<void> {
    const pool = this.#pool ?? (this.#poolStarting ? await this.#poolStarting.catch(() => null) : null);
    this.#pool = null;
    if (pool) await pool.end().catch(() => undefined);
  }

  async #connect(): Promise<pg.PoolClient> {
    if (this.#stopped) throw RelayError.upstream('the call-record database client is stopped');
    try {
      const pool = await this.#getPool();
      return await pool.connect();
    } catch (e) {
      throw this.#mapError(e);
    }
  }

  /** Start the read-only transaction; answers the server process id (to cancel a stuck export). */
  async #begin(client: pg.PoolClient, statementTimeoutMs = this.#statementTimeoutMs): Promise<number | null> {
    // One round trip: read-only transaction, bounded statements, UTC and ISO
    // dates so keys print the same on every server.
    const results = (await client.query(
      `BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${Math.floor(statementTimeoutMs)}; ` +
        `SET LOCAL idle_in_transaction_session_timeout = ${Math.max(60_000, this.#statementTimeoutMs * 4)}; ` +
        `SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; SELECT pg_backend_pid() AS pid`,
    )) as unknown as pg.QueryResult<{ pid: number }>[];
    const pid = results.at(-1)?.rows[0]?.pid;
    return typeof pid === 'number' ? pid : null;
  }

  /**
   * Cancel the running query of backend `pid` from a separate short-lived
   * connection. Closing the stuck connection alone is not enough: a backend
   * waiting on a lock does not notice its client went away.
   */
  async #cancelBackend(pid: number | null, ended?: Promise<void>): Promise<void> {
    const connection = this.#connection;
    if (pid === null || !connection) return;
    const canceller = new pg.Client({ ...connection.pg, connectionTimeoutMillis: this.#connectTimeoutMs });
    canceller.on('error', () => undefined);
    // The statement may end on its own while the canceller still connects
    // (PGlite in the demo serves one session at a time, so it waits for ours
    // to end): then no cancel is sent. Once sent, the cancel is awaited.
    // A graceful end() would wait for that session too: the socket is dropped instead.
    let over = false;
    let sending = false;
    const drop = () => canceller.connection.stream.destroy();
    void ended?.then(() => {
      over = true;
      if (!sending) drop();
    });
    try {
      await canceller.connect();
      if (over) return;
      sending = true;
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch (e) {
      if (!over) this.log.warn('could not cancel a stuck call-record export', { error: redactString(describeError(e), this.#secrets) });
    } finally {
      if (over && !sending) drop();
      else await canceller.end().catch(() => undefined);
    }
  }

  /** `optional`: a failing statement (not a lost connection) is the caller's to report; the component's state stays. */
  async #readOnly<T>(work: (client: pg.PoolClient) => Promise<T>, hasCursor: boolean, optional = false): Promise<T> {
    const client = await this.#connect();
    const started = this.clock.now();
    let failed: unknown = null;
    try {
      await this.#begin(client);
      const result = await work(client);
      this.recordLatency(this.clock.now() - started);
      if (!this.#stopped) this.setState('connected');
      return result;
    } catch (e) {
      failed = e;
      throw optional && isStatementError(e) ? RelayError.upstream(redactString(describeError(e), this.#secrets)) : this.#mapError(e, hasCursor);
    } finally {
      await this.#finish(client, failed);
    }
  }

  async #finish(client: pg.PoolClient, failed: unknown, cursor: Cursor<ValuesRow> | null = null): Promise<void> {
    let broken: Error | undefined;
    try {
      if (cursor) await cursor.close();
      await client.query(failed ? 'ROLLBACK' : 'COMMIT');
    } catch (e) {
      // The connection is in an unknown state: let the pool discard it.
      broken = e instanceof Error ? e : new Error(String(e));
    }
    client.release(broken);
  }

  /**
   * Turn anything thrown into a RelayError; connection-level failures also
   * put the component into `error` (the next check() tries again).
   */
  #mapError(e: unknown, hasCursor = false): RelayError {
    if (isRelayError(e)) return e;
    if (e instanceof BatchTimeout || sqlState(e) === '57014') {
      this.reportFault('warning', `a call-record query was cancelled after ${this.#statementTimeoutMs} ms`);
      return RelayError.upstreamTimeout(`the call-record query took longer than ${this.#statementTimeoutMs} ms; try a shorter range`);
    }
    const code = sqlState(e);
    const raw = redactString(describeError(e), this.#secrets);
    const db = this.#connection?.describe ?? 'the call-record database';
    if (hasCursor && (code === '22P02' || code === '22007' || code === '22008')) {
      return RelayError.badRequest('the cursor is not one this relay issued for call records; start again without it');
    }
    if (code === '42P01' || code === '42703') {
      const message = `${db} has no readable ${CDR_TABLE} table or column (${raw}); is this a 3CX V20 database?`;
      this.#failConnection(message);
      return RelayError.upstream(message);
    }
    if (code === '42501') {
      const message = `the database user may not read ${CDR_TABLE} (${raw})`;
      this.#failConnection(message);
      return RelayError.upstream(message);
    }
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code) || /timeout|terminat|connect/i.test(raw)) {
      const message = `cannot use ${db}: ${raw}`;
      this.#failConnection(message);
      return RelayError.upstream(message);
    }
    this.reportFault('error', `call-record query failed: ${raw}`);
    return RelayError.upstream(`the call-record query failed: ${raw}`);
  }

  #failConnection(message: string): void {
    this.log.warn('call-record database unavailable', { error: message });
    if (!this.#stopped) this.fail(message, { state: 'error', severity: 'error' });
  }
}

function secretsOf(connection: CdrConnection): string[] {
  if ('password' in connection.pg && connection.pg.password) return [connection.pg.password];
  const password = 'connectionString' in connection.pg ? passwordInUrl(connection.pg.connectionString) : null;
  return password ? [password] : [];
}
