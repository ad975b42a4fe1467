// What the alert engine looks at, kept narrow so it does not depend on how
// the figures are produced: the queues' figures, the PBX's overview and the
// upstream components' health.
import type { Health } from '../contract/api-types.js';
import type { PbxOverview, QueueFigures } from '../contract/supervisor-types.js';

export interface AlertSnapshot {
  queues: readonly QueueFigures[];
  pbx: PbxOverview | null;
  components: Health['components'];
}

/**
 * The snapshot from the relay's health alone, until the supervisor service
 * (queue figures, a live PBX overview) is wired in: no queues, and the PBX as
 * XAPI `SystemStatus` described it at the last (re)connect. Switching over is
 * one line in running-relay.ts: pass the supervisor's queues and overview.
 */
export function snapshotFromHealth(health: Health, queues: readonly QueueFigures[] = [], pbx?: PbxOverview | null): AlertSnapshot {
  return { queues, pbx: pbx !== undefined ? pbx : pbxOverviewOf(health), components: health.components };
}

function pbxOverviewOf(health: Health): PbxOverview | null {
  const status = health.pbx;
  if (!status) return null;
  return {
    version: status.version,
    licenseActive: status.licenseActive,
    extensions: status.extensions,
    trunks: status.trunks,
    callControlCoverage: health.callControlCoverage ?? null,
    asOf: status.asOf,
    // Read at each (re)connect, not polled: nothing newer exists to be stale against.
    stale: false,
  };
}
