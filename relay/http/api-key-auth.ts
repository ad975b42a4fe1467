// Integration authentication: an API key in `Authorization: Bearer` or
// `X-API-Key`, never in the URL. 401 for a missing/unknown/revoked key, 403
// when the key lacks the route's permission.
import type { Request, RequestHandler } from 'express';
import type { Permission } from '../contract/api-types.js';
import { RelayError } from '../core/relay-error.js';
import type { ApiKeyAuthenticator } from './http-deps.js';
import { setApiKey } from './locals.js';

export function presentedApiKey(req: Pick<Request, 'headers'>): string | null {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = req.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m) return m[1]!;
  }
  return null;
}

const KEY_IN_URL = /^(api[-_]?key|key|token|access_token)$/i;

export function requireApiKey(auth: ApiKeyAuthenticator, permission: Permission): RequestHandler {
  return async (req, res, next) => {
    const presented = presentedApiKey(req);
    if (!presented) {
      const inUrl = Object.keys(req.query ?? {}).some((k) => KEY_IN_URL.test(k));
      throw RelayError.unauthorized(inUrl
        ? 'API keys are never accepted in the URL; send it in the Authorization: Bearer or X-API-Key header'
        : 'an API key is required in the Authorization: Bearer or X-API-Key header');
    }
    const key = await auth.authenticate(presented);
    if (!key) throw RelayError.unauthorized('this API key is unknown or has been revoked');
    setApiKey(res, key);
    if (!key.permissions.includes(permission)) {
      throw RelayError.forbidden(`this API key lacks the \`${permission}\` permission this route needs`);
    }
    next();
  };
}
