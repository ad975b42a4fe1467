// Alert history for integrations (API key, `read`) and the dashboard, alert
// rules and acknowledgement (admin sessions, through AdminOperations).
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import type { AlertEntry, AlertHistoryQuery } from '../../contract/supervisor-types.js';
import type { RouteHandlers } from '../route-handler.js';

export interface AlertHistorySource { list(query: AlertHistoryQuery): Promise<AlertEntry[]> }

export function alertHandlers(
  history: AlertHistorySource,
  ops: (res: Response) => AdminHttpOperations,
): RouteHandlers<'relayAlerts' | 'listAlerts' | 'acknowledgeAlert' | 'listAlertRules' | 'createAlertRule' | 'updateAlertRule' | 'deleteAlertRule'> {
  return {
    relayAlerts: async ({ query }) => ({ alerts: await history.list(query) }),
    listAlerts: async ({ query }, _req, res) => ({ alerts: await ops(res).listAlerts(query) }),
    acknowledgeAlert: ({ params }, _req, res) => ops(res).acknowledgeAlert(params.id),
    listAlertRules: async (_input, _req, res) => ({ rules: await ops(res).listAlertRules() }),
    createAlertRule: ({ body }, _req, res) => ops(res).createAlertRule(body),
    updateAlertRule: ({ params, body }, _req, res) => ops(res).updateAlertRule(params.id, body),
    deleteAlertRule: async ({ params }, _req, res) => {
      await ops(res).deleteAlertRule(params.id);
      return { id: params.id, deleted: true };
    },
  };
}
