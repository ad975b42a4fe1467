// Sends the dashboard's HTTP requests to the team relay from the main
// process. Why not from the renderer: the window's session fetches nothing
// from the network (request filter + CSP), the relay answers no CORS
// preflight, and the session token then never enters the page at all: it
// stays in the keychain and is added here. The login and logout answers are
// the two places the gateway reads: it keeps the tokens a login returns and
// hands the page a copy without them, and it forgets the session on logout
// or on a 401.
import type { LoginResponse } from '../../relay/contract/api-types.js';
import type { TeamHttpRequest, TeamHttpResponse } from '../../relay/contract/ipc-team.js';
import { RelayError } from '../../relay/core/relay-error.js';
import type { TeamCredentials } from './team-credentials.js';

export const TEAM_REQUEST_TIMEOUT_MS = 60_000;
const LOGIN_PATH = '/admin/login';
const LOGOUT_PATH = '/admin/logout';
/** Answer headers the page's client reads (Retry-After on a 429). */
const PASSED_HEADERS = ['content-type', 'retry-after'];

export interface TeamGateway {
  request(req: TeamHttpRequest): Promise<TeamHttpResponse>;
}

export interface TeamGatewayDeps {
  /** The team relay's origin now; null when the desktop is not in team mode. */
  origin: () => string | null;
  credentials: TeamCredentials;
  fetch: typeof fetch;
  timeoutMs?: number;
  /** A login through the gateway succeeded (the live link may start again). */
  onSignedIn?: () => void;
}

export function teamUnreachable(origin: string, e: unknown): RelayError {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
  return new RelayError('unreachable', 502, `Cannot reach the team relay at ${origin}: ${cause}`);
}

export function createTeamGateway(deps: TeamGatewayDeps): TeamGateway {
  const timeoutMs = deps.timeoutMs ?? TEAM_REQUEST_TIMEOUT_MS;

  async function send(origin: string, req: TeamHttpRequest, body: string | undefined): Promise<Response> {
    const session = req.path === LOGIN_PATH ? null : await deps.credentials.session();
    try {
      return await deps.fetch(`${origin}${req.path}`, {
        method: req.method,
        // A redirect could carry the session elsewhere; the relay never sends one.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(session ? { Authorization: `Bearer ${session}` } : {}),
        },
        ...(body === undefined ? {} : { body }),
      });
    } catch (e) {
      throw teamUnreachable(origin, e);
    }
  }

  /** Adds the stored device token to the page's login body. */
  async function loginBody(body: string | undefined): Promise<string | undefined> {
    if (body === undefined) return body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return body; // the relay answers 400 itself
    }
    const device = await deps.credentials.device();
    if (!device || !parsed || typeof parsed !== 'object') return body;
    return JSON.stringify({ ...(parsed as object), deviceToken: device });
  }

  return {
    async request(req) {
      const origin = deps.origin();
      if (!origin) throw new RelayError('not_in_team_mode', 409, 'The desktop app is not connected to a team relay; choose one in Settings.');
      const isLogin = req.method === 'POST' && req.path === LOGIN_PATH;
      const response = await send(origin, req, isLogin ? await loginBody(req.body) : req.body);
      let text = await response.text();
      const headers: Record<string, string> = {};
      for (const name of PASSED_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) headers[name] = value;
      }

      if (isLogin && response.status === 200) {
        const answer = JSON.parse(text) as LoginResponse;
        await deps.credentials.setSession(answer.token);
        await deps.credentials.setDevice(answer.deviceToken);
        // The page learns who signed in, not the tokens: the gateway adds the session itself.
        text = JSON.stringify({ ...answer, token: '', deviceToken: '' });
        deps.onSignedIn?.();
      } else if (req.path === LOGOUT_PATH || (response.status === 401 && !isLogin)) {
        await deps.credentials.setSession(null);
      }
      return { status: response.status, headers, body: text };
    },
  };
}
