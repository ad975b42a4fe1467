// Sign in, sign out, who am I. Login sets the httpOnly SameSite=Strict
// cookie for the dashboard and returns the token for scripts.
import { Router, type RequestHandler } from 'express';
import { loginBody } from '../../contract/schemas.js';
import { clearSessionCookie, setSessionCookie } from '../admin-auth.js';
import type { AdminSessions } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import { parseInput } from '../validate.js';
import { sendJson } from '../send-json.js';

export function adminSessionRoutes(sessions: AdminSessions, authed: RequestHandler): Router {
  const r = Router();
  r.post('/login', async (req, res) => {
    const body = parseInput(loginBody, req.body, 'body');
    const result = await sessions.login(body.username, body.password, req.socket.remoteAddress ?? 'unknown');
    setSessionCookie(res, result.token, req.secure);
    sendJson(res, result);
  });
  r.post('/logout', authed, async (_req, res) => {
    await sessions.logout(adminSessionOf(res).token);
    clearSessionCookie(res);
    sendJson(res, { signedOut: true });
  });
  r.get('/me', authed, (_req, res) => {
    const { user } = adminSessionOf(res);
    sendJson(res, { username: user.username, role: user.role });
  });
  return r;
}
