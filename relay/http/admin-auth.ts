// Admin API authentication: the session token from the `admin_token` cookie
// (dashboard in a browser) or `Authorization: Bearer` (scripts). A cookie is
// sent by the browser on its own, so a state-changing request authenticated
// by the cookie must also show it came from an allowed page: it must carry an
// Origin, which the request policy has already checked against the allow-list.
import { parse as parseCookie, serialize as serializeCookie } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { bearerToken } from '../core/bearer-token.js';
import { RelayError } from '../core/relay-error.js';
import type { AdminSessions } from './http-deps.js';
import { setAdminSession } from './locals.js';

export const ADMIN_COOKIE = 'admin_token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function adminTokenOf(req: Pick<Request, 'headers'>): { token: string; via: 'cookie' | 'bearer' } | null {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookieHeader = req.headers.cookie;
  if (cookieHeader) {
    const token = parseCookie(cookieHeader)[ADMIN_COOKIE];
    if (token) return { token, via: 'cookie' };
  }
  return null;
}

export function requireAdminSession(sessions: AdminSessions): RequestHandler {
  return async (req, res, next) => {
    const presented = adminTokenOf(req);
    if (!presented) throw RelayError.unauthorized('sign in first: POST /admin/login');
    if (presented.via === 'cookie' && !SAFE_METHODS.has(req.method) && !req.headers.origin) {
      throw RelayError.forbidden('a cookie-authenticated change must come from the dashboard page (Origin header missing)');
    }
    const session = await sessions.resolve(presented.token);
    if (!session) throw RelayError.unauthorized('the session has expired or was signed out; sign in again');
    setAdminSession(res, { ...session, token: presented.token });
    next();
  };
}

export function setSessionCookie(res: Response, token: string, secure: boolean): void {
  res.append('Set-Cookie', serializeCookie(ADMIN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure }));
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', serializeCookie(ADMIN_COOKIE, '', { httpOnly: true, sameSite: 'strict', path: '/', maxAge: 0 }));
}
