// Joins the services that keep store state in memory to the team bus, both
// ways: a change made here (a key or session revoked, alert rules edited) is
// announced to the other relays, and one announced by another relay is
// applied here as if it had happened locally: the cache entry goes and the
// same local event fires, so relay-websocket.ts closes the sockets of a key
// revoked on another relay exactly as it does for one revoked here.
import type { SessionRevocation } from '../auth/session-service.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { TeamBusPort } from './team-bus.js';
import type { TeamBusMessage } from './team-bus-message.js';

interface Emits<Events extends Record<string, unknown[]>> {
  on<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): unknown;
  off<E extends keyof Events & string>(event: E, listener: (...args: Events[E]) => void): unknown;
}

export interface TeamBusParties {
  apiKeys: Emits<{ revoked: [id: string] }> & { forgetRevoked(id: string): void; resync(): Promise<unknown> };
  sessions: Emits<{ revoked: [revocation: SessionRevocation] }> & { forgetRevoked(revocation: SessionRevocation): void; resync(): Promise<unknown> };
  alerts: Emits<{ rulesChanged: [] }> & { forgetRules(): Promise<void> };
  logger: Logger;
}

/** Wires the parties to the bus; returns the function that unwires them. */
export function attachTeamBus(bus: TeamBusPort, p: TeamBusParties): () => void {
  const logger = p.logger.child({ component: 'team-bus' });
  // Set while a remote change is applied: the local event it fires is not
  // announced again (two relays would echo each other's messages forever).
  let applyingRemote = false;

  const announce = (message: TeamBusMessage): void => {
    if (applyingRemote) return;
    bus.publish(message).catch((e: unknown) => {
      // The change is stored; the other relays see it on their next store read
      // where they do not cache, and at their next bus resync where they do.
      logger.warn('could not announce a change to the team', { type: message.type, error: describeError(e) });
    });
  };
  const onKeyRevoked = (id: string): void => announce({ type: 'api_key_revoked', id });
  const onSessionsRevoked = (r: SessionRevocation): void =>
    announce('sessionId' in r ? { type: 'sessions_revoked', sessionId: r.sessionId } : { type: 'sessions_revoked', username: r.username });
  const onRulesChanged = (): void => announce({ type: 'alert_rules_changed' });

  const apply = (message: TeamBusMessage): void => {
    applyingRemote = true;
    try {
      switch (message.type) {
        case 'api_key_revoked':
          p.apiKeys.forgetRevoked(message.id);
          break;
        case 'sessions_revoked':
          p.sessions.forgetRevoked('sessionId' in message ? { sessionId: message.sessionId } : { username: message.username });
          break;
        case 'alert_rules_changed':
          void p.alerts.forgetRules();
          break;
      }
    } finally {
      applyingRemote = false;
    }
  };
  const onMessage = (message: TeamBusMessage, from: string): void => {
    logger.debug('team change heard', { type: message.type, from });
    apply(message);
  };
  const onResync = (): void => {
    logger.info('team bus reconnected: dropping what may have gone stale');
    // Keys and sessions found ended here are announced again as resync() emits:
    // harmless, a relay applying a message never announces it in turn.
    p.apiKeys.resync().catch((e: unknown) => logger.warn('could not recheck API keys after the team bus reconnected', { error: describeError(e) }));
    p.sessions.resync().catch((e: unknown) => logger.warn('could not recheck sessions after the team bus reconnected', { error: describeError(e) }));
    void p.alerts.forgetRules();
  };

  p.apiKeys.on('revoked', onKeyRevoked);
  p.sessions.on('revoked', onSessionsRevoked);
  p.alerts.on('rulesChanged', onRulesChanged);
  bus.on('message', onMessage);
  bus.on('resync', onResync);
  return () => {
    p.apiKeys.off('revoked', onKeyRevoked);
    p.sessions.off('revoked', onSessionsRevoked);
    p.alerts.off('rulesChanged', onRulesChanged);
    bus.off('message', onMessage);
    bus.off('resync', onResync);
  };
}
