// "Test connection" from the settings page. The relay does the work
// (relay/pbx/connection-test.ts, through the upstream factory): while it runs,
// through the running service, which reuses its own upstreams for the same
// client id instead of fetching a second token (3CX keeps one per client id);
// while it is paused, with throwaway upstreams, as no token is then in use.
import type { ConnectionTestResult } from '../../relay/contract/ipc-channels.js';
import type { Logger } from '../../relay/core/logger.js';
import { testUpstreamConnections as testWithThrowawayUpstreams, type UpstreamCandidate } from '../../relay/pbx/connection-test.js';

export type { UpstreamCandidate };

export interface ConnectionTestOptions {
  logger: Logger;
  /** The running relay's test; null while the relay is paused. */
  running?: () => ((candidate: UpstreamCandidate) => Promise<ConnectionTestResult[]>) | null;
  timeoutMs?: number;
}

export async function testUpstreamConnections(candidate: UpstreamCandidate, opts: ConnectionTestOptions): Promise<ConnectionTestResult[]> {
  const viaRelay = opts.running?.();
  if (viaRelay) return viaRelay(candidate);
  return testWithThrowawayUpstreams(candidate, { logger: opts.logger, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
}
