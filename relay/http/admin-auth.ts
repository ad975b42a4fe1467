// Admin API authentication: `Authorization: Bearer <session token>` only
// (contract §5). No cookie: browsers send cookies for 127.0.0.1 to every
// port, so any other local server the admin's browser visits would receive
// a session cookie. The dashboard keeps its token in sessionStorage and
// sends the header itself, which no other page can make it do.
import type { Request, RequestHandler } from 'express';
import { bearerToken } from '../core/bearer-token.js';
import { RelayError } from '../core/relay-error.js';
import type { AdminSessions } from './http-deps.js';
import { setAdminSession } from './locals.js';

export function adminTokenOf(req: Pick<Request, 'headers'>): string | null {
  return bearerToken(req.headers.authorization) ?? null;
}

export function requireAdminSession(sessions: AdminSessions): RequestHandler {
  return async (req, res, next) => {
    const token = adminTokenOf(req);
    if (!token) throw RelayError.unauthorized('sign in first: POST /admin/login, then send `Authorization: Bearer <token>`');
    const session = await sessions.resolve(token);
    if (!session) throw RelayError.unauthorized('the session has expired or was signed out; sign in again');
    setAdminSession(res, { ...session, token });
    next();
  };
}
