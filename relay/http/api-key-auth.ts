// Integration authentication: an API key in `Authorization: Bearer` or
// `X-API-Key`, never in the URL. 401 for a missing/unknown/revoked key, 403
// when the key lacks the route's permission.
import type { RequestHandler } from 'express';
import type { Permission } from '../contract/api-types.js';
import { hasPermission } from '../auth/permissions.js';
import { RelayError } from '../core/relay-error.js';
import type { ApiKeyAuthenticator } from './http-deps.js';
import { hasKeyInQuery, readApiKey } from './security/api-key-header.js';
import { setApiKey } from './locals.js';

export function requireApiKey(auth: ApiKeyAuthenticator, permission: Permission): RequestHandler {
  return async (req, res, next) => {
    const presented = readApiKey(req.headers);
    if (!presented) {
      const inUrl = hasKeyInQuery(new URL(req.originalUrl, 'http://relay.invalid').searchParams);
      throw RelayError.unauthorized(inUrl
        ? 'API keys are never accepted in the URL; send it in the Authorization: Bearer or X-API-Key header'
        : 'an API key is required in the Authorization: Bearer or X-API-Key header');
    }
    const key = await auth.authenticate(presented);
    if (!key) throw RelayError.unauthorized('this API key is unknown or has been revoked');
    setApiKey(res, key);
    if (!hasPermission(key.permissions, permission)) {
      throw RelayError.forbidden(`this API key lacks the \`${permission}\` permission this route needs`);
    }
    next();
  };
}
