// The routes a follower hands to the team leader (leader-proxy.ts) because
// their handler reaches 3CX (XAPI, Call Control) or its call-record
// database, which only the leader connects to, or because their effect must
// come from the leader's own state. Everything else a follower answers
// itself, from the shared store or from the mirror of the leader's live state.
import { ROUTES, type RouteId } from '../contract/routes.js';

export const LEADER_ROUTES: readonly RouteId[] = [
  // Call Control / XAPI.
  'relayDropCall', // POST /relay/active-calls/:id/drop
  'relayMakeCall', // POST /relay/calls
  'dropCall', // POST /admin/active-calls/:id/drop
  'setAgentQueueStatus', // POST /admin/agents/:extension/queue-status (XAPI, audited)
  'reconnect', // POST /admin/connections/:component/reconnect (the leader's upstreams)
  // The 3CX call-record database.
  'relayCdrPage', // GET /relay/cdr
  'relayCdrCsv', // GET /relay/cdr.csv
  'cdrPage', // GET /admin/cdr
  'cdrCsv', // GET /admin/cdr.csv
  'stats', // GET /admin/stats (calls today and per hour from the call records)
  // The alert engine runs on the leader: an acknowledgement is an `alert`
  // frame of the team's stream, and a rule edit is evaluated at once (an
  // engine on a follower would fire alerts of its own).
  'acknowledgeAlert', // POST /admin/alerts/:id/acknowledge
  'createAlertRule', // POST /admin/alert-rules
  'updateAlertRule', // PUT /admin/alert-rules/:id
  'deleteAlertRule', // DELETE /admin/alert-rules/:id
];

interface Matcher { method: string; pattern: RegExp }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Express path syntax (`:name` segments) as a regular expression, matched as express does (case-insensitive, optional trailing slash). */
function compile(path: string): RegExp {
  const source = path.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : escape(seg))).join('/');
  return new RegExp(`^${source}/?$`, 'i');
}

const MATCHERS: readonly Matcher[] = LEADER_ROUTES.map((id) => ({ method: ROUTES[id].method, pattern: compile(ROUTES[id].path) }));

/** True when a request with this method and path (no query) must be answered by the leader. */
export function needsLeader(method: string, path: string): boolean {
  // HEAD is answered by a GET route, as express does.
  const m = method === 'HEAD' ? 'GET' : method;
  return MATCHERS.some((r) => r.method === m && r.pattern.test(path));
}
