// Key permissions are independent (contract §2): `control` does not grant
// `read`, so a click-to-dial integration cannot read call records.
import type { Permission } from '../contract/api-types.js';

export function hasPermission(granted: readonly Permission[], needed: Permission): boolean {
  return granted.includes(needed);
}
