// Unauthenticated relay status: health for monitors, the OpenAPI document,
// and ws-ticket issuing for browser integrations (key required).
import type { RequestHandler } from 'express';
import type { RouteTarget } from '../route-target.js';
import type { Health, Permission } from '../../contract/api-types.js';
import type { WsTicketIssuer } from '../http-deps.js';
import { apiKeyOf } from '../locals.js';
import { buildOpenApiDocument } from '../openapi.js';
import { sendJson } from '../send-json.js';

/** Adds the routes to `r` (the app: see RouteTarget). */
export function addRelayStatusRoutes(
  r: RouteTarget,
  health: () => Health,
  tickets: WsTicketIssuer,
  keyed: (p: Permission) => RequestHandler[],
): void {
  r.get('/relay/health', (_req, res) => {
    sendJson(res, health());
  });
  let openapi: string | null = null;
  r.get('/relay/openapi.json', (_req, res) => {
    openapi ??= JSON.stringify(buildOpenApiDocument(health().version));
    res.type('application/json').send(openapi);
  });
  r.post('/relay/ws-ticket', ...keyed('read'), (_req, res) => {
    const key = apiKeyOf(res)!;
    sendJson(res, tickets.issue({ kind: 'key', keyId: key.id, permissions: key.permissions }), 201);
  });
}
