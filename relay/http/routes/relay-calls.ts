// Live calls for integrations: list, drop (control), click-to-call (control).
import type { RequestHandler, Router } from 'express';
import type { Permission } from '../../contract/api-types.js';
import { callIdParam, makeCallBody } from '../../contract/schemas.js';
import type { ActiveCallsService } from '../../calls/active-calls-service.js';
import { parseInput, parseParam } from '../validate.js';

/** Adds the routes to `r`, the one /relay router (a nested router per file cost every request a walk). */
export function addRelayCallRoutes(r: Router, calls: ActiveCallsService, keyed: (p: Permission) => RequestHandler[]): void {
  r.get('/active-calls', ...keyed('read'), async (_req, res) => {
    res.json(await calls.list());
  });
  r.post('/active-calls/:id/drop', ...keyed('control'), async (req, res) => {
    await calls.drop(parseParam(callIdParam, req.params.id, 'id'));
    res.status(204).end();
  });
  r.post('/calls', ...keyed('control'), async (req, res) => {
    const body = parseInput(makeCallBody, req.body, 'body');
    res.status(202).json(await calls.makeCall(body.from, body.to));
  });
}
