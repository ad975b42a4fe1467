// Where an API key may travel: the Authorization or X-API-Key header, never
// the URL (URLs end up in logs, proxies and browser history). REST and the
// WebSocket upgrade read it the same way.
import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken } from '../../core/bearer-token.js';

/** Query parameter names that would carry a key in a URL; refused wherever they appear. */
export const KEY_QUERY_PARAMS = ['key', 'apikey', 'api_key', 'api-key', 'token', 'access_token'] as const;

/** The API key sent in `Authorization: Bearer <key>` or `X-API-Key: <key>`, else null. */
export function readApiKey(headers: IncomingHttpHeaders): string | null {
  const bearer = bearerToken(headers.authorization);
  if (bearer) return bearer;
  const header = headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && value.trim() ? value.trim() : null;
}

/** True when the URL's query names a key-like parameter (see KEY_QUERY_PARAMS). */
export function hasKeyInQuery(params: URLSearchParams): boolean {
  for (const name of params.keys()) {
    if ((KEY_QUERY_PARAMS as readonly string[]).includes(name.toLowerCase())) return true;
  }
  return false;
}
