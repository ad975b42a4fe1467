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
