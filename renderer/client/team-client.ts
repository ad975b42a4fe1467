// The desktop app as a team relay's client: the dashboard's HTTP client (the
// browser's, unchanged) whose requests the main process sends on to the team
// relay with the session it keeps in the keychain (DesktopOperations.teamRequest),
// plus the desktop's own operations (settings, leaving the team). The window
// itself reaches no network (CSP and request filter), so the live frames come
// from the main process too, over the bridge's frame event.
import type { RelayFrame } from '../../relay/contract/api-types.js';
import type { DesktopBridge, DesktopOperations } from '../../relay/contract/ipc-channels.js';
import type { TeamHttpRequest } from '../../relay/contract/ipc-team.js';
import { HttpRelayClient } from './http-client.js';
import type { LinkState } from './relay-client.js';
import { memorySessionTokens } from './session-tokens.js';

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'DELETE']);

/** A `fetch` that hands the request to the main process: path and body only, never a header or a host. */
export function teamFetch(desktop: Pick<DesktopOperations, 'teamRequest'>, origin: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.origin !== origin) throw new TypeError(`not the team relay: ${url.origin}`);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) throw new TypeError(`unsupported method ${method}`);
    const request: TeamHttpRequest = { method: method as TeamHttpRequest['method'], path: `${url.pathname}${url.search}` };
    if (typeof init?.body === 'string') request.body = init.body;
    const answer = await desktop.teamRequest(request);
    // 204/304 may not carry a body in a Response.
    const body = answer.status === 204 || answer.status === 304 ? null : answer.body;
    return new Response(body, { status: answer.status, headers: answer.headers });
  };
}

export class TeamRelayClient extends HttpRelayClient {
  override readonly desktop: DesktopOperations;
  private readonly bridge: DesktopBridge;

  constructor(opts: { bridge: DesktopBridge; desktop: DesktopOperations; origin: string }) {
    super({ baseUrl: opts.origin, fetch: teamFetch(opts.desktop, opts.origin), tokens: memorySessionTokens() });
    this.desktop = opts.desktop;
    this.bridge = opts.bridge;
  }

  override get linkState(): LinkState {
    return 'live';
  }

  // The main process holds the team link; nothing to open or close here.
  override startLive(): void {}
  override stopLive(): void {}

  override subscribe(listener: (frame: RelayFrame) => void): () => void {
    return this.bridge.onFrame(listener);
  }

  override onLinkState(): () => void {
    return () => undefined;
  }

  override onNavigate(listener: (page: string) => void): () => void {
    return this.bridge.onNavigate(listener);
  }
}
