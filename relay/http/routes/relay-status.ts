// Unauthenticated relay status (health for monitors, the OpenAPI document)
// and ws-ticket issuing for browser integrations (key required).
import type { Health } from '../../contract/api-types.js';
import type { WsTicketIssuer } from '../http-deps.js';
import { apiKeyOf } from '../locals.js';
import { buildOpenApiDocument } from '../openapi.js';
import type { RouteHandlers } from '../route-handler.js';
import { SENT } from '../route-handler.js';

export function relayStatusHandlers(health: () => Health, tickets: WsTicketIssuer): RouteHandlers<'relayHealth' | 'relayOpenApi' | 'relayWsTicket'> {
  let openapi: string | null = null;
  return {
    relayHealth: () => health(),
    relayOpenApi: (_input, _req, res) => {
      openapi ??= JSON.stringify(buildOpenApiDocument(health().version));
      res.type('application/json').send(openapi);
      return SENT;
    },
    relayWsTicket: (_input, _req, res) => {
      const key = apiKeyOf(res)!;
      return tickets.issue({ kind: 'key', keyId: key.id, permissions: key.permissions });
    },
  };
}
