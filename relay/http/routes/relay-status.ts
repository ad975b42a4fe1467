// Unauthenticated relay status: health for monitors, the OpenAPI document,
// and ws-ticket issuing for browser integrations (key required).
import type { RequestHandler, Router } from 'express';
import type { Health, Permission } from '../../contract/api-types.js';
import type { WsTicketIssuer } from '../http-deps.js';
import { apiKeyOf } from '../locals.js';
import { buildOpenApiDocument } from '../openapi.js';

/** Adds the routes to `r`, the one /relay router. */
export function addRelayStatusRoutes(
  r: Router,
  health: () => Health,
  tickets: WsTicketIssuer,
  keyed: (p: Permission) => RequestHandler[],
): void {
  r.get('/health', (_req, res) => {
    res.json(health());
  });
  let openapi: string | null = null;
  r.get('/openapi.json', (_req, res) => {
    openapi ??= JSON.stringify(buildOpenApiDocument(health().version));
    res.type('application/json').send(openapi);
  });
  r.post('/ws-ticket', ...keyed('read'), (_req, res) => {
    const key = apiKeyOf(res)!;
    res.status(201).json(tickets.issue({ kind: 'key', keyId: key.id, permissions: key.permissions }));
  });
}
