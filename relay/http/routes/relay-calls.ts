// Live calls for integrations: list, drop (control), click-to-call (control).
import type { RequestHandler } from 'express';
import type { RouteTarget } from '../route-target.js';
import type { Permission } from '../../contract/api-types.js';
import { callIdParam, makeCallBody } from '../../contract/schemas.js';
import type { ActiveCallsService } from '../../live-calls/active-calls-service.js';
import { sendJson } from '../send-json.js';
import { parseInput, parseParam } from '../validate.js';

/** Adds the routes to `r` (the app: see RouteTarget). */
export function addRelayCallRoutes(r: RouteTarget, calls: ActiveCallsService, keyed: (p: Permission) => RequestHandler[]): void {
  r.get('/relay/active-calls', ...keyed('read'), async (_req, res) => {
    sendJson(res, await calls.list());
  });
  r.post('/relay/active-calls/:id/drop', ...keyed('control'), async (req, res) => {
    await calls.drop(parseParam(callIdParam, req.params.id, 'id'));
    res.status(204).end();
  });
  r.post('/relay/calls', ...keyed('control'), async (req, res) => {
    const body = parseInput(makeCallBody, req.body, 'body');
    sendJson(res, await calls.makeCall(body.from, body.to), 202);
  });
}
