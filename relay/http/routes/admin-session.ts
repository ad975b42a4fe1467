// Sign in, sign out, who am I. The answer carries the session token (sent
// back as Bearer) and the device token (sent with the next sign-in); no
// cookie is set (contract §5).
import { Router, type RequestHandler } from 'express';
import { loginBody } from '../../contract/schemas.js';
import type { AdminSessions } from '../http-deps.js';
import { adminSessionOf } from '../locals.js';
import { parseInput } from '../validate.js';
import { sendJson } from '../send-json.js';

export function adminSessionRoutes(sessions: AdminSessions, authed: RequestHandler): Router {
  const r = Router();
  r.post('/login', async (req, res) => {
    const body = parseInput(loginBody, req.body, 'body');
    sendJson(res, await sessions.login(body, req.socket.remoteAddress ?? 'unknown'));
  });
  r.post('/logout', authed, async (_req, res) => {
    await sessions.logout(adminSessionOf(res).token);
    sendJson(res, { signedOut: true });
  });
  r.get('/me', authed, (_req, res) => {
    const { user } = adminSessionOf(res);
    sendJson(res, { username: user.username, role: user.role });
  });
  return r;
}
