// Call records as CSV, streamed: PostgreSQL writes the records (COPY, with
// the formula rule and ISO times in its SELECT), the relay writes the header
// and then moves the database's chunks into the destination with
// backpressure, so memory stays flat whatever the row count and no value is
// formatted in JavaScript. The next chunk is read while the previous one
// drains. If the destination goes away the COPY is stopped.
import type { Cdr } from '../contract/api-types.js';
import { CDR_FIELDS, CDR_ORDER_TIME } from '../pbx/cdr-columns.js';
import type { CdrPort } from '../pbx/upstream.js';
import { csvFieldAt, csvRecords } from './csv-text.js';
import { backpressureWriter } from './write-with-backpressure.js';

/** CSV header: the contract's Cdr fields in the order of the one column map. */
export const CDR_CSV_COLUMNS: readonly (keyof Cdr)[] = CDR_FIELDS;
const HEADER = csvRecords([CDR_CSV_COLUMNS], CDR_CSV_COLUMNS.length);
const STARTED_AT = CDR_FIELDS.indexOf(CDR_ORDER_TIME);
/** Progress is reported at most once per this many rows. */
const PROGRESS_EVERY = 1000;

export interface CsvProgress { rows: number; fraction: number }

export interface CsvExportOptions {
  signal?: AbortSignal;
  onProgress?: (p: CsvProgress) => void;
  /** Called once the first rows (or the end) arrived, before any byte is written: set headers here. */
  onReady?: () => void;
  /** Bytes per database chunk (tests vary it; default the repository's). */
  chunkBytes?: number;
}

/**
 * Resolves with the row count once `out` has received everything; rejects if
 * the database fails or `out` closes early (the COPY is then stopped).
 */
export async function exportCdrCsv(
  cdr: CdrPort,
  range: { from: Date; to: Date },
  out: NodeJS.WritableStream,
  opts: CsvExportOptions = {},
): Promise<{ rows: number }> {
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) onOuterAbort();
  const chunks = cdr.csvChunks(range, { signal: abort.signal, ...(opts.chunkBytes ? { chunkBytes: opts.chunkBytes } : {}) })[Symbol.asyncIterator]();
  let started = false;
  try {
    // Read the first chunk before writing anything, so a database that is
    // down still gets a proper error answer instead of a half-sent CSV.
    let next = await chunks.next();
    opts.onReady?.();
    started = true;
    const writer = backpressureWriter(out, abort.signal);
    const span = Math.max(1, range.to.getTime() - range.from.getTime());
    let rows = 0;
    let lastReport = 0;
    await writer.write(HEADER);
    while (!next.done) {
      const chunk = next.value;
      rows += chunk.rows;
      // Ask for the next chunk now: the database writes it while this one drains.
      const reading = chunks.next();
      reading.catch(() => undefined); // awaited below, unless the write fails first
      await writer.write(chunk.bytes);
      if (opts.onProgress && rows - lastReport >= PROGRESS_EVERY) {
        lastReport = rows;
        opts.onProgress({ rows, fraction: fractionDone(chunk.lastRow, range.to.getTime(), span) });
      }
      next = await reading;
    }
    await writer.end();
    opts.onProgress?.({ rows, fraction: 1 });
    return { rows };
  } catch (e) {
    // Like a failed pipeline: a destination that already has part of the CSV
    // is destroyed, so the receiver sees a broken transfer, not a short file.
    if (started) destroy(out, e);
    throw e;
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    abort.abort();
    // Stops the COPY when the destination went away mid-export.
    await chunks.return?.();
  }
}

/** Rows come newest first, so progress is how far back in the range the last row is. */
function fractionDone(lastRow: Buffer, toMs: number, span: number): number {
  const started = csvFieldAt(lastRow, STARTED_AT);
  if (!started) return 0;
  return Math.min(1, Math.max(0, (toMs - Date.parse(started)) / span));
}

function destroy(out: NodeJS.WritableStream, e: unknown): void {
  const stream = out as NodeJS.WritableStream & { destroy?: (err?: Error) => void; destroyed?: boolean };
  if (typeof stream.destroy === 'function' && !stream.destroyed) stream.destroy(e instanceof Error ? e : new Error(String(e)));
}
