// "Call Control monitors N of M extensions": Call Control sees only the
// integration's route point and the extensions an admin added to its
// monitored list, so the admin needs to see how much is missing. N counts
// the extension DNs in GET /callcontrol, M the Users XAPI lists.
import type { CallControlCoverage } from '../contract/api-types.js';
import type { MonitoredDn } from './callcontrol-state.js';
import { COVERAGE_HINT } from './upstream-error-messages.js';

/** Call Control's DN type of a user extension. */
export const EXTENSION_DN_TYPE = 'Wextension';

/** Null until Call Control has listed its DNs once. */
export function callControlCoverage(monitored: readonly MonitoredDn[] | null, totalExtensions: number | null): CallControlCoverage | null {
  if (!monitored) return null;
  const n = monitored.filter((d) => d.type === EXTENSION_DN_TYPE).length;
  const summary = totalExtensions === null
    ? `Call Control monitors ${n} extension${n === 1 ? '' : 's'} (the PBX's total is not known yet)`
    : `Call Control monitors ${n} of ${totalExtensions} extensions`;
  const complete = totalExtensions !== null && n >= totalExtensions;
  return { monitoredExtensions: n, totalExtensions, summary, hint: complete ? null : COVERAGE_HINT };
}
