// Which API places a click-to-call. Call Control's makecall works only for a
// DN it monitors (and then rings the user's own phone first); XAPI's
// Users/Pbx.MakeCall works for any extension without monitoring set-up.
import type { MonitoredDn } from './callcontrol-state.js';

export type MakeCallRoute = 'callcontrol' | 'xapi' | 'none';

export interface MakeCallAvailability {
  /** Call Control is connected and listed its DNs (null when it is not connected). */
  monitored: readonly MonitoredDn[] | null;
  /** Call Control is configured (it may still be connecting). */
  callControlConfigured: boolean;
  /** XAPI is configured. */
  xapiConfigured: boolean;
}

export function makeCallRoute(fromDn: string, a: MakeCallAvailability): MakeCallRoute {
  if (a.monitored?.some((d) => d.dn === fromDn)) return 'callcontrol';
  if (a.xapiConfigured) return 'xapi';
  // No XAPI: Call Control is the only way, even if it does not (yet) list the DN; it answers 404 if it cannot.
  return a.callControlConfigured ? 'callcontrol' : 'none';
}
