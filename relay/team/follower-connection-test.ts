// "Test connection" on a team follower. A test with the team's own PBX and
// client id would fetch a token for that client id, and 3CX revokes the
// previous one: the leader's. So a follower never tests those settings
// itself: it answers for XAPI and Call Control with the leader's view (the
// mirrored health) and tests only the call-record database, which involves
// no token. Other settings (another PBX or client id) are tested as usual.
import type { Health } from '../contract/api-types.js';
import type { ConnectionTestResult } from '../contract/ipc-channels.js';
import { normalizePbxBaseUrl, type PbxConfig } from '../pbx/pbx-config.js';

/** True when `candidate` names the PBX and client id the team runs with. */
export function isTeamClient(candidate: PbxConfig | null, team: PbxConfig | null): boolean {
  if (!candidate || !team) return false;
  try {
    return normalizePbxBaseUrl(candidate.baseUrl) === normalizePbxBaseUrl(team.baseUrl) && candidate.clientId.trim() === team.clientId.trim();
  } catch {
    return false;
  }
}

/** XAPI and Call Control as the team leader reports them. */
export function leaderPbxResults(health: Health): ConnectionTestResult[] {
  return (['xapi', 'callcontrol'] as const).map((component) => {
    const c = health.components[component];
    const ok = c.state === 'connected';
    return {
      component, ok, latencyMs: ok ? c.latencyMs : null,
      message: ok ? 'connected (as the team leader sees it; a follower never asks 3CX for this client id\'s token)'
        : `${c.state}${c.lastError ? `: ${c.lastError}` : ''} (as the team leader sees it)`,
    };
  });
}
