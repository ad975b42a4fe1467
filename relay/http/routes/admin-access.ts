// API keys and users: who may use the relay. Every rule (roles, the current
// password of one's own change) lives in AdminOperations, shared with IPC.
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import type { RouteHandlers } from '../route-handler.js';

type Ids = 'listApiKeys' | 'createApiKey' | 'revokeApiKey' | 'listUsers' | 'createUser' | 'removeUser' | 'setPassword';

export function adminAccessHandlers(ops: (res: Response) => AdminHttpOperations): RouteHandlers<Ids> {
  return {
    listApiKeys: async (_input, _req, res) => ({ keys: await ops(res).listApiKeys() }),
    createApiKey: ({ body }, _req, res) => ops(res).createApiKey(body.clientName, body.permissions),
    revokeApiKey: async ({ params }, _req, res) => {
      await ops(res).revokeApiKey(params.id);
      return { id: params.id, active: false };
    },
    listUsers: async (_input, _req, res) => ({ users: await ops(res).listUsers() }),
    createUser: async ({ body }, _req, res) => {
      await ops(res).createUser(body.username, body.password, body.role);
      return { username: body.username, role: body.role };
    },
    removeUser: async ({ params }, _req, res) => {
      await ops(res).removeUser(params.username);
      return { username: params.username, removed: true };
    },
    setPassword: async ({ params, body }, _req, res) => {
      await ops(res).setPassword(params.username, body.password, body.currentPassword);
      return { username: params.username, passwordChanged: true };
    },
  };
}
