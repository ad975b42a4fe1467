// `COPY … TO STDOUT` through node-postgres, without another package: a
// Submittable that pg drives with the backend's messages. PostgreSQL sends
// one CopyData message per row; the bytes are copied at once (pg's parser
// reuses its buffer) into chunks of about `chunkBytes`, so a million rows are
// a few thousand chunks, not a million. Backpressure: when `maxQueued` chunks
// wait for the consumer the socket is paused, so PostgreSQL waits too and
// memory stays flat. `discard()` lets the statement finish (or be cancelled)
// while its remaining output is dropped, so the connection stays usable.
import type pg from 'pg';

export interface CopyChunk {
  /** Whole CSV records, each ending in LF. */
  bytes: Buffer;
  /** Records in `bytes`. */
  rows: number;
  /** The last record of `bytes` (a view into it). */
  lastRow: Buffer;
}

export interface CopyOutOptions {
  /** A chunk is handed over once it holds at least this many bytes (default 64 KiB). */
  chunkBytes?: number;
  /** Chunks waiting for the consumer before the socket is paused (default 4). */
  maxQueued?: number;
}

/** The parts of pg's backend messages this reads. */
interface CopyDataMessage { chunk: Buffer }
interface CommandCompleteMessage { text?: string }

export class CopyOut implements pg.Submittable {
  readonly text: string;
  readonly #chunkBytes: number;
  readonly #maxQueued: number;
  #connection: pg.Connection | null = null;
  #buf: Buffer;
  #len = 0;
  #rows = 0;
  #lastRowAt = 0;
  readonly #queue: CopyChunk[] = [];
  #paused = false;
  #discarding = false;
  #flushScheduled = false;
  #unexpectedError: Error | null = null;
  /** Set once the statement is over: null when it succeeded. */
  #outcome: { error: Error | null } | null = null;
  #wake: (() => void) | null = null;
  readonly #settled: Promise<void>;
  #settle!: () => void;
  /** Rows PostgreSQL reported in its CommandComplete (`COPY n`), once known. */
  rowCount: number | null = null;

  constructor(text: string, opts: CopyOutOptions = {}) {
    this.text = text;
    this.#chunkBytes = Math.max(1024, opts.chunkBytes ?? 64 * 1024);
    this.#maxQueued = Math.max(1, opts.maxQueued ?? 4);
    this.#buf = Buffer.allocUnsafe(this.#chunkBytes + 1024);
    this.#settled = new Promise((resolve) => (this.#settle = resolve));
  }

  /** Resolves once the statement is over, whatever its outcome. */
  get settled(): Promise<void> {
    return this.#settled;
  }

  get finished(): boolean {
    return this.#outcome !== null;
  }

  /**
   * The next chunk, or null once the statement completed and every chunk was
   * taken. Rejects with the statement's error.
   */
  async next(): Promise<CopyChunk | null> {
    for (;;) {
      if (this.#outcome?.error) throw this.#outcome.error;
      const chunk = this.#queue.shift();
      if (chunk) {
        if (this.#paused && this.#queue.length < this.#maxQueued) this.#resume();
        return chunk;
      }
      if (this.#outcome) return null;
      // Nothing whole yet: hand over what there is as soon as this read is parsed.
      if (this.#len > 0) this.#scheduleFlush();
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  /** Drop everything from now on and keep the socket flowing, so the statement can end. */
  discard(): void {
    this.#discarding = true;
    this.#queue.length = 0;
    this.#len = 0;
    this.#rows = 0;
    this.#resume();
  }

  // ---- called by pg ----

  submit(connection: pg.Connection): void {
    this.#connection = connection;
    connection.query(this.text);
  }

  handleCopyData(msg: CopyDataMessage): void {
    if (this.#discarding) return;
    const row = msg.chunk;
    if (this.#len + row.length > this.#buf.length) {
      this.#push();
      if (row.length > this.#buf.length) this.#buf = Buffer.allocUnsafe(row.length + this.#chunkBytes);
    }
    this.#lastRowAt = this.#len;
    this.#len += row.copy(this.#buf, this.#len);
    this.#rows++;
    if (this.#len >= this.#chunkBytes) this.#push();
    else if (this.#wake) this.#scheduleFlush();
  }

  handleCommandComplete(msg: CommandCompleteMessage): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '');
    if (m) this.rowCount = Number(m[1]);
  }

  handleReadyForQuery(): void {
    this.#push();
    this.#end(null);
  }

  handleError(err: Error): void {
    this.#end(err instanceof Error ? err : new Error(String(err)));
  }

  // Our text is always one COPY; anything else is a programming error, reported by the end.
  handleRowDescription(): void {
    this.#unexpected('rows');
  }
  handleDataRow(): void {
    this.#unexpected('rows');
  }
  handleEmptyQuery(): void {
    this.#unexpected('no statement');
  }
  handleCopyInResponse(): void {
    this.#unexpected('COPY FROM');
  }
  handlePortalSuspended(): void {
    this.#unexpected('a suspended portal');
  }

  // ---- internals ----

  #unexpected(what: string): void {
    this.#unexpectedError ??= new Error(`COPY TO STDOUT answered ${what}`);
  }

  #push(): void {
    if (this.#len === 0 || this.#discarding) return;
    const bytes = this.#buf.subarray(0, this.#len);
    this.#queue.push({ bytes, rows: this.#rows, lastRow: bytes.subarray(this.#lastRowAt) });
    this.#buf = Buffer.allocUnsafe(this.#chunkBytes + 1024);
    this.#len = 0;
    this.#rows = 0;
    if (this.#queue.length >= this.#maxQueued) this.#pause();
    this.#wakeConsumer();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    // After the current socket read is parsed (pg emits its messages synchronously).
    setImmediate(() => {
      this.#flushScheduled = false;
      if (this.#wake && this.#queue.length === 0) this.#push();
    });
  }

  #wakeConsumer(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #pause(): void {
    if (this.#paused || !this.#connection) return;
    this.#paused = true;
    this.#connection.stream.pause();
  }

  #resume(): void {
    if (!this.#paused || !this.#connection) return;
    this.#paused = false;
    this.#connection.stream.resume();
  }

  #end(error: Error | null): void {
    if (this.#outcome) return;
    this.#outcome = { error: error ?? this.#unexpectedError };
    // The connection goes back to pg's other queries: never leave it paused.
    this.#resume();
    this.#wakeConsumer();
    this.#settle();
  }
}
