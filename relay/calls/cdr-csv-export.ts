// Call records as CSV, streamed: rows flow from the CDR database's server-side
// cursor through csv-stringify into the destination with backpressure, so
// memory stays flat whatever the row count. If the destination goes away the
// cursor is aborted.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Cdr } from '../contract/api-types.js';
import { CDR_FIELDS } from '../pbx/cdr-columns.js';
import type { CdrPort } from '../pbx/upstream.js';

/** CSV header: the contract's Cdr fields in the order of the one column map. */
export const CDR_CSV_COLUMNS: readonly (keyof Cdr)[] = CDR_FIELDS;

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
  const iterator = cdr.stream(range, { signal: abort.signal, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) })[Symbol.asyncIterator]();
  let rows = 0;
  try {
    // Pull the first row before writing anything, so a database that is down
    // still gets a proper error answer instead of a half-sent CSV.
    const first = await iterator.next();
    opts.onReady?.();
    const span = Math.max(1, range.to.getTime() - range.from.getTime());
    let lastReport = 0;
    const report = (row: Cdr) => {
      rows += 1;
      if (!opts.onProgress || rows - lastReport < 1000) return;
      lastReport = rows;
      // Rows come newest first, so progress is how far back in the range we are.
      const fraction = Math.min(1, Math.max(0, (range.to.getTime() - Date.parse(row.cdr_started_at)) / span));
      opts.onProgress({ rows, fraction });
    };
    async function* records(): AsyncGenerator<Cdr> {
      if (first.done) return;
      report(first.value);
      yield first.value;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        report(next.value);
        yield next.value;
      }
    }
    await pipeline(
      Readable.from(records()),
      stringify({ header: true, columns: [...CDR_CSV_COLUMNS], cast: { date: (d) => d.toISOString() } }),
      out,
      { signal: abort.signal },
    );
    opts.onProgress?.({ rows, fraction: 1 });
    return { rows };
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
    abort.abort();
    // Closes the database cursor when the destination went away mid-export.
    await iterator.return?.();
  }
}
