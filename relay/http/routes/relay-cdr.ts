// Call records for integrations: keyset pages and the streamed CSV export.
import { exportCdrCsv } from '../../call-records/cdr-csv-export.js';
import { cdrPage, requireCdr, toRange } from '../../call-records/cdr-queries.js';
import type { CdrPort } from '../../pbx/upstream.js';
import type { RouteHandlers } from '../route-handler.js';
import { SENT } from '../route-handler.js';
import { sendCdrCsv } from '../send-cdr-csv.js';

export function relayCdrHandlers(cdr: () => CdrPort | undefined): RouteHandlers<'relayCdrPage' | 'relayCdrCsv'> {
  return {
    relayCdrPage: ({ query }) => cdrPage(cdr(), query),
    relayCdrCsv: async ({ query }, req, res) => {
      requireCdr(cdr()); // HEAD too: a 502 when no call-record database is configured
      await sendCdrCsv(req, res, query, (out, opts) => exportCdrCsv(requireCdr(cdr()), toRange(query), out, opts));
      return SENT;
    },
  };
}
