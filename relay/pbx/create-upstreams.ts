// Builds the three upstream clients for the composition root. One token
// broker serves XAPI and Call Control, because 3CX keeps one token per client
// id. A missing part of the configuration yields `unconfigured` components.
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { passwordInUrl } from '../core/redact.js';
import { CallControlClient } from './callcontrol-client.js';
import { CdrRepository } from './cdr-repository.js';
import type { UpstreamConfig, UpstreamTuning } from './pbx-config.js';
import { TokenBroker } from './token-broker.js';
import { XapiClient } from './xapi-client.js';

export interface UpstreamDeps {
  logger?: Logger;
  clock?: Clock;
  /** Jitter source for reconnect backoff, [0, 1). */
  random?: () => number;
  tuning?: UpstreamTuning;
}

export interface Upstreams {
  /** Null when the PBX is not configured. */
  tokenBroker: TokenBroker | null;
  xapi: XapiClient;
  callControl: CallControlClient;
  cdr: CdrRepository;
}

/** Throws RelayError bad_request when the PBX settings are present but unusable (e.g. http:// to a remote host). */
export function createUpstreams(config: UpstreamConfig, deps: UpstreamDeps = {}): Upstreams {
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? systemClock;
  const t = deps.tuning ?? {};
  // What 3CX or PostgreSQL could echo back into an error text (health, error feed, history).
  const cdrPassword = config.cdr && 'url' in config.cdr ? passwordInUrl(config.cdr.url) : null;
  const known = [config.pbx?.clientSecret, cdrPassword].filter((v): v is string => !!v);
  const secrets = () => known;
  const tokenBroker = config.pbx
    ? new TokenBroker({
        config: config.pbx,
        clock,
        logger,
        ...(t.requestTimeoutMs !== undefined ? { timeoutMs: t.requestTimeoutMs } : {}),
        ...(t.credentialRetryMs !== undefined ? { credentialRetryMs: t.credentialRetryMs } : {}),
      })
    : null;
  const timeout = t.requestTimeoutMs !== undefined ? { timeoutMs: t.requestTimeoutMs } : {};
  return {
    tokenBroker,
    xapi: new XapiClient({ broker: tokenBroker, clock, logger, secrets, ...timeout }),
    callControl: new CallControlClient({
      broker: tokenBroker,
      clock,
      logger,
      secrets,
      ...timeout,
      ...(deps.random ? { random: deps.random } : {}),
      ...(t.reconnectBaseMs !== undefined || t.reconnectCapMs !== undefined
        ? { backoff: { baseMs: t.reconnectBaseMs ?? 500, capMs: t.reconnectCapMs ?? 30_000 } }
        : {}),
      ...(t.pingIntervalMs !== undefined ? { pingIntervalMs: t.pingIntervalMs } : {}),
      ...(t.callsCoalesceMs !== undefined ? { callsCoalesceMs: t.callsCoalesceMs } : {}),
    }),
    cdr: new CdrRepository({
      config: config.cdr ?? null,
      clock,
      logger,
      secrets,
      ...(t.cdrStatementTimeoutMs !== undefined ? { statementTimeoutMs: t.cdrStatementTimeoutMs } : {}),
      ...(t.cdrPoolMax !== undefined ? { poolMax: t.cdrPoolMax } : {}),
    }),
  };
}

/** Stop all three and the broker (its kept-alive sockets). */
export async function stopUpstreams(u: Upstreams): Promise<void> {
  await Promise.all([u.xapi.stop(), u.callControl.stop(), u.cdr.stop()]);
  u.tokenBroker?.retire();
}
