// Overview figures, upstream connections and the error feed.
import { Router, type Response } from 'express';
import type { AdminOperations } from '../../contract/admin-operations.js';
import { componentParam, errorQuery, idParam } from '../../contract/schemas.js';
import { parseInput, parseParam } from '../validate.js';
import { sendJson } from '../send-json.js';

export function adminMonitorRoutes(ops: (res: Response) => AdminOperations): Router {
  const r = Router();
  r.get('/stats', async (_req, res) => {
    sendJson(res, await ops(res).stats());
  });
  r.get('/connections', async (_req, res) => {
    sendJson(res, await ops(res).connections());
  });
  r.post('/connections/:component/reconnect', async (req, res) => {
    const component = parseParam(componentParam, req.params.component, 'component');
    await ops(res).reconnect(component);
    sendJson(res, { component, reconnecting: true }, 202);
  });
  r.get('/errors', async (req, res) => {
    const q = parseInput(errorQuery, req.query, 'query');
    sendJson(res, { errors: await ops(res).listErrors(q) });
  });
  r.post('/errors/:id/acknowledge', async (req, res) => {
    const id = parseParam(idParam, req.params.id, 'id');
    await ops(res).acknowledgeError(id);
    sendJson(res, { id, acknowledged: true });
  });
  return r;
}
