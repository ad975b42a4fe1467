// Sign in, sign out, who am I. Login sets the httpOnly SameSite=Strict
// cookie for the dashboard and returns the token for scripts.
import type { Response } from 'express';
import type { AdminHttpOperations } from '../../admin/admin-operations.js';
import { clearSessionCookie, setSessionCookie } from '../admin-auth.js';
import type { AdminSessions } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import type { RouteHandlers } from '../route-handler.js';

export function adminSessionHandlers(sessions: AdminSessions, ops: (res: Response) => AdminHttpOperations): RouteHandlers<'login' | 'logout' | 'me'> {
  return {
    login: async ({ body }, req, res) => {
      const result = await sessions.login(body.username, body.password, req.socket.remoteAddress ?? 'unknown');
      setSessionCookie(res, result.token, req.secure);
      return result;
    },
    logout: async (_input, _req, res) => {
      await sessions.logout(adminSessionOf(res).token);
      clearSessionCookie(res);
      return { signedOut: true };
    },
    me: (_input, _req, res) => ops(res).me(),
  };
}
