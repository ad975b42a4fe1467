// GET …/cdr.csv for integrations and the dashboard alike: validated range,
// streamed CSV, the database cursor closed when the client goes away.
import type { Request, Response } from 'express';
import { cdrRangeQuery } from '../contract/schemas.js';
import { exportCdrCsv } from '../call-records/cdr-csv-export.js';
import { requireCdr, toRange } from '../call-records/cdr-queries.js';
import type { CdrPort } from '../pbx/upstream.js';
import { parseInput } from './validate.js';

export async function sendCdrCsv(req: Request, res: Response, cdrPort: CdrPort | undefined): Promise<void> {
  const q = parseInput(cdrRangeQuery, req.query, 'query');
  const cdr = requireCdr(cdrPort);
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) abort.abort(new Error('client went away'));
  };
  res.on('close', onClose);
  try {
    await exportCdrCsv(cdr, toRange(q), res, {
      signal: abort.signal,
      onReady: () => {
        res.status(200);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="cdr-${q.from.slice(0, 10)}-${q.to.slice(0, 10)}.csv"`);
      },
    });
  } catch (e) {
    // The client hung up: nothing to answer, and not a fault worth reporting.
    if (abort.signal.aborted) return;
    throw e;
  } finally {
    res.off('close', onClose);
  }
}
