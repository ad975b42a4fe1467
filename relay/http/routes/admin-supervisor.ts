// The supervisor view for the dashboard (admin session), through
// AdminOperations so the desktop's IPC shares every rule; logging an agent in
// or out is admin-only and audited there.
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import type { RouteHandlers } from '../route-handler.js';

export function adminSupervisorHandlers(ops: (res: Response) => AdminHttpOperations): RouteHandlers<'adminQueues' | 'adminAgents' | 'adminPbx' | 'setAgentQueueStatus'> {
  return {
    adminQueues: async (_input, _req, res) => ({ queues: await ops(res).queues() }),
    adminAgents: async (_input, _req, res) => ({ agents: await ops(res).agents() }),
    adminPbx: (_input, _req, res) => ops(res).pbx(),
    setAgentQueueStatus: ({ params, body }, _req, res) => ops(res).setAgentQueueStatus(params.extension, body.status),
  };
}
