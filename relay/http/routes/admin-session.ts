// Sign in, sign out, who am I. The answer carries the session token (sent
// back as Bearer) and the device token (sent with the next sign-in); no
// cookie is set (contract §5).
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import type { AdminSessions } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import type { RouteHandlers } from '../route-handler.js';

export function adminSessionHandlers(sessions: AdminSessions, ops: (res: Response) => AdminHttpOperations): RouteHandlers<'login' | 'logout' | 'me'> {
  return {
    login: ({ body }, req) => sessions.login(body, req.socket.remoteAddress ?? 'unknown'),
    logout: async (_input, _req, res) => {
      await sessions.logout(adminSessionOf(res).token);
      return { signedOut: true };
    },
    me: (_input, _req, res) => ops(res).me(),
  };
}
