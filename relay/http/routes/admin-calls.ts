// The dashboard's view of live calls and call records (through
// AdminOperations, behind the admin session), and its WebSocket ticket.
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import type { WsTicketIssuer } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import type { RouteHandlers } from '../route-handler.js';
import { SENT } from '../route-handler.js';
import { sendCdrCsv } from '../send-cdr-csv.js';

export function adminCallHandlers(
  ops: (res: Response) => AdminHttpOperations,
  tickets: WsTicketIssuer,
): RouteHandlers<'activeCalls' | 'dropCall' | 'cdrPage' | 'cdrCsv' | 'adminWsTicket'> {
  return {
    // The full answer (with source and asOf), which the IPC's activeCalls trims.
    activeCalls: (_input, _req, res) => ops(res).activeCallsResponse(),
    dropCall: ({ params }, _req, res) => ops(res).dropCall(params.id),
    cdrPage: ({ query }, _req, res) => ops(res).cdrPage(query),
    cdrCsv: async ({ query }, req, res) => {
      await sendCdrCsv(req, res, query, (out, opts) => ops(res).exportCdrCsv(query, out, opts));
      return SENT;
    },
    adminWsTicket: (_input, _req, res) => {
      const { user, sessionId } = adminSessionOf(res);
      return tickets.issue({ kind: 'admin', username: user.username, role: user.role, sessionId });
    },
  };
}
