// Unauthenticated relay status: health for monitors, the OpenAPI document,
// and ws-ticket issuing for browser integrations (key required).
import { Router, type RequestHandler } from 'express';
import type { Health, Permission } from '../../contract/api-types.js';
import type { WsTicketIssuer } from '../http-deps.js';
import { apiKeyOf } from '../locals.js';
import { buildOpenApiDocument } from '../openapi.js';

export function relayStatusRoutes(
  health: () => Health,
  tickets: WsTicketIssuer,
  keyed: (p: Permission) => RequestHandler[],
): Router {
  const r = Router();
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
  return r;
}
