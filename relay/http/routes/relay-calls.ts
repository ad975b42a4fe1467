// Live calls for integrations: list (read), drop and click-to-call (control).
import type { ActiveCallsService } from '../../live-calls/active-calls-service.js';
import type { RouteHandlers } from '../route-handler.js';

export function relayCallHandlers(calls: ActiveCallsService): RouteHandlers<'relayActiveCalls' | 'relayDropCall' | 'relayMakeCall'> {
  return {
    relayActiveCalls: () => calls.list(),
    relayDropCall: ({ params }) => calls.drop(params.id),
    relayMakeCall: ({ body }) => calls.makeCall(body.from, body.to),
  };
}
