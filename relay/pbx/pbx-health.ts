// The PBX part of GET /relay/health: what SystemStatus said at the last
// (re)connect, and how much of the PBX Call Control covers.
import type { Health } from '../contract/api-types.js';
import { callControlCoverage } from './call-control-coverage.js';
import type { CallControlPort, XapiPort } from './upstream.js';

export function pbxHealth(u: { xapi: XapiPort; callControl: CallControlPort } | null): Pick<Health, 'pbx' | 'callControlCoverage'> {
  if (!u) return { pbx: null, callControlCoverage: null };
  return {
    pbx: u.xapi.pbxStatus(),
    callControlCoverage: callControlCoverage(u.callControl.monitoredDns(), u.xapi.userCount()),
  };
}
