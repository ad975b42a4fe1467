// Key permissions. Decision: `control` implies `read` — an integration that
// may drop or place calls must also be able to see them (it needs the call
// ids), and asking clients to always send both would only invite 403s.
import type { Permission } from '../contract/api-types.js';

export function hasPermission(granted: readonly Permission[], needed: Permission): boolean {
  return granted.includes(needed) || (needed === 'read' && granted.includes('control'));
}
