// Call records as CSV, streamed: batches flow from the CDR database's
// server-side cursor, each formatted into one CSV string and written into the
// destination with backpressure, so memory stays flat whatever the row count.
// The next batch is read from the database while the previous one drains. If
// the destination goes away the cursor is aborted.
import type { Cdr } from '../contract/api-types.js';
import { CDR_FIELDS } from '../pbx/cdr-columns.js';
import type { CdrPort, CdrValues } from '../pbx/upstream.js';
import { csvRecords } from './csv-text.js';
import { backpressureWriter } from './write-with-backpressure.js';

/** CSV header: the contract's Cdr fields in the order of the one column map. */
export const CDR_CSV_COLUMNS: readonly (keyof Cdr)[] = CDR_FIELDS;
const HEADER = csvRecords([CDR_CSV_COLUMNS], CDR_CSV_COLUMNS.length);
const STARTED_AT = CDR_FIELDS.indexOf('cdr_started_at');
/** Progress is reported at most once per this many rows. */
const PROGRESS_EVERY = 1000;

export interface CsvProgress { rows: number; fraction: number }

export interface CsvExportOptions {
  signal?: AbortSignal;
  onProgress?: (p: CsvProgress) => void;
  /** Called once the first row (or the end) arrived, before any byte is written: set headers here. */
  onReady?: () => void;
  batchSize?: number;
}

/**
 * Resolves with the row count once `out` has received everything; rejects if
 * the database fails or `out` closes early (the cursor is then closed).
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
  const batches = cdr.streamBatches(range, { signal: abort.signal, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) })[Symbol.asyncIterator]();
  let started = false;
  try {
    // Read the first batch before writing anything, so a database that is
    // down still gets a proper error answer instead of a half-sent CSV.
    let next = await batches.next();
    opts.onReady?.();
    started = true;
    const writer = backpressureWriter(out, abort.signal);
    const span = Math.max(1, range.to.getTime() - range.from.getTime());
    let rows = 0;
    let lastReport = 0;
    let text = HEADER;
    while (!next.done) {
      const batch = next.value;
      text += csvRecords(batch, CDR_FIELDS.length);
      rows += batch.length;
      // Ask for the next batch now: the database reads it while this one drains.
      const reading = batches.next();
      reading.catch(() => undefined); // awaited below, unless the write fails first
      await writer.write(text);
      text = '';
      if (opts.onProgress && rows - lastReport >= PROGRESS_EVERY) {
        lastReport = rows;
        opts.onProgress({ rows, fraction: fractionDone(batch.at(-1), range.to.getTime(), span) });
      }
      next = await reading;
    }
    if (text) await writer.write(text); // an empty range: the header alone
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
    // Closes the database cursor when the destination went away mid-export.
    await batches.return?.();
  }
}

/** Rows come newest first, so progress is how far back in the range the last row is. */
function fractionDone(last: CdrValues | undefined, toMs: number, span: number): number {
  const started = last?.[STARTED_AT];
  if (!started) return 0;
  return Math.min(1, Math.max(0, (toMs - Date.parse(started)) / span));
}

function destroy(out: NodeJS.WritableStream, e: unknown): void {
  const stream = out as NodeJS.WritableStream & { destroy?: (err?: Error) => void; destroyed?: boolean };
  if (typeof stream.destroy === 'function' && !stream.destroyed) stream.destroy(e instanceof Error ? e : new Error(String(e)));
}
