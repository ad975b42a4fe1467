// GET …/cdr.csv for integrations and the dashboard alike: streamed CSV, the
// database cursor closed when the client goes away. HEAD answers the headers
// only: it never runs the export (a whole year of rows read to be thrown away).
import type { Request, Response } from 'express';
import type { CsvExportOptions } from '../call-records/cdr-csv-export.js';

export type CsvExport = (out: NodeJS.WritableStream, opts: Pick<CsvExportOptions, 'signal' | 'onReady'>) => Promise<unknown>;

function setCsvHeaders(res: Response, range: { from: string; to: string }): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="cdr-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv"`);
}

export async function sendCdrCsv(req: Request, res: Response, range: { from: string; to: string }, run: CsvExport): Promise<void> {
  if (req.method === 'HEAD') {
    setCsvHeaders(res, range);
    res.end();
    return;
  }
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client went away'));
  };
  res.on('close', onClose);
  try {
    await run(res, {
      signal: abort.signal,
      onReady: () => setCsvHeaders(res, range),
    });
  } catch (e) {
    // The client hung up: nothing to answer, and not a fault worth reporting.
    if (abort.signal.aborted) return;
    throw e;
  } finally {
    res.off('close', onClose);
  }
}
