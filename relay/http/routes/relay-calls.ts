// Live calls for integrations: list, drop (control), click-to-call (control).
import { Router, type RequestHandler } from 'express';
import type { Permission } from '../../contract/api-types.js';
import { callIdParam, makeCallBody } from '../../contract/schemas.js';
import type { ActiveCallsService } from '../../calls/active-calls-service.js';
import { parseInput, parseParam } from '../validate.js';

export function relayCallRoutes(calls: ActiveCallsService, keyed: (p: Permission) => RequestHandler[]): Router {
  const r = Router();
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
  return r;
}
