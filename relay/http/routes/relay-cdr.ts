// Call records for integrations: keyset pages and the streamed CSV export.
import type { RequestHandler } from 'express';
import type { RouteTarget } from '../route-target.js';
import type { Permission } from '../../contract/api-types.js';
import { cdrPageQuery } from '../../contract/schemas.js';
import { cdrPage } from '../../call-records/cdr-queries.js';
import type { CdrPort } from '../../pbx/upstream.js';
import { sendCdrCsv } from '../send-cdr-csv.js';
import { parseInput } from '../validate.js';
import { sendJson } from '../send-json.js';

/** Adds the routes to `r` (the app: see RouteTarget). */
export function addRelayCdrRoutes(r: RouteTarget, cdr: () => CdrPort | undefined, keyed: (p: Permission) => RequestHandler[]): void {
  r.get('/relay/cdr', ...keyed('read'), async (req, res) => {
    sendJson(res, await cdrPage(cdr(), parseInput(cdrPageQuery, req.query, 'query')));
  });
  r.get('/relay/cdr.csv', ...keyed('read'), async (req, res) => {
    await sendCdrCsv(req, res, cdr());
  });
}
