// Overview figures, upstream connections and the error feed.
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import type { RouteHandlers } from '../route-handler.js';

export function adminMonitorHandlers(ops: (res: Response) => AdminHttpOperations): RouteHandlers<'stats' | 'connections' | 'reconnect' | 'listErrors' | 'acknowledgeError'> {
  return {
    stats: (_input, _req, res) => ops(res).stats(),
    connections: (_input, _req, res) => ops(res).connections(),
    reconnect: async ({ params }, _req, res) => {
      await ops(res).reconnect(params.component);
      return { component: params.component, reconnecting: true };
    },
    listErrors: async ({ query }, _req, res) => ({ errors: await ops(res).listErrors(query) }),
    acknowledgeError: async ({ params }, _req, res) => {
      await ops(res).acknowledgeError(params.id);
      return { id: params.id, acknowledged: true };
    },
  };
}
