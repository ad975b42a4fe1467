// The dashboard's view of live calls and call records (same services as the
// integration routes, behind the admin session instead of an API key), and
// its WebSocket ticket.
import { Router, type RequestHandler, type Response } from 'express';
import type { AdminOperations } from '../../contract/admin-operations.js';
import { callIdParam, cdrPageQuery } from '../../contract/schemas.js';
import type { ActiveCallsService } from '../../live-calls/active-calls-service.js';
import type { CdrPort } from '../../pbx/upstream.js';
import type { WsTicketIssuer } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import { sendCdrCsv } from '../send-cdr-csv.js';
import { parseInput, parseParam } from '../validate.js';
import { sendJson } from '../send-json.js';

export function adminCallRoutes(
  ops: (res: Response) => AdminOperations,
  calls: ActiveCallsService,
  cdr: () => CdrPort | undefined,
  tickets: WsTicketIssuer,
): Router {
  const r = Router();
  // The full answer (with source and asOf), which AdminOperations.activeCalls trims.
  const listCalls: RequestHandler = async (_req, res) => {
    sendJson(res, await calls.list());
  };
  r.get('/active-calls', listCalls);
  r.post('/active-calls/:id/drop', async (req, res) => {
    await ops(res).dropCall(parseParam(callIdParam, req.params.id, 'id'));
    res.status(204).end();
  });
  r.get('/cdr', async (req, res) => {
    sendJson(res, await ops(res).cdrPage(parseInput(cdrPageQuery, req.query, 'query')));
  });
  r.get('/cdr.csv', async (req, res) => {
    await sendCdrCsv(req, res, cdr());
  });
  r.post('/ws-ticket', (_req, res) => {
    const { user, sessionId } = adminSessionOf(res);
    sendJson(res, tickets.issue({ kind: 'admin', username: user.username, role: user.role, sessionId }), 201);
  });
  return r;
}
