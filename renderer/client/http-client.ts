// RelayClient over the relay's admin HTTP API (same origin, `Authorization:
// Bearer` with the token kept in sessionStorage; no cookie) and its
// WebSocket for live frames (reached with a ticket). Used when the dashboard
// is opened in a browser against the headless relay. Methods and paths come
// from the relay's route table (relay/contract/routes.ts), never spelled out here.
import type {
  ActiveCall, ActiveCallsResponse, AdminUser, AdminUserInfo, ApiKeyInfo, CdrPage, ComponentName,
  ConnectionsView, CreatedApiKey, ErrorEntry, ErrorQuery, Health, LoginResponse, Permission, RelayFrame,
  Role, Stats,
} from '../../relay/contract/api-types.js';
import type { DesktopOperations, ExportProgress } from '../../relay/contract/ipc-channels.js';
import type { AlertEntry, AlertHistoryQuery, AlertRule, AlertRuleInput } from '../../relay/contract/supervisor-types.js';
import type { AgentState, PbxOverview, QueueFigures } from '../../relay/contract/supervisor-types.js';
import type { SupervisorOperations } from './supervisor-operations.js';
import { ROUTES, WS_PATH, routePath, type RouteId, type RouteMethod, type RoutePathParams } from '../../relay/contract/routes.js';
import type { CdrRange, CsvExportResult, LinkState, RelayClient } from './relay-client.js';
import { RelayApiError } from './relay-api-error.js';
import { ListenerSet } from './listener-set.js';
import { LiveSocket } from './live-socket.js';
import { CsvProgress } from './csv-progress.js';
import { saveBlob } from './save-blob.js';
import { memorySessionTokens, type SessionTokens } from './session-tokens.js';

export interface HttpClientOptions {
  /** Origin of the relay, e.g. `http://127.0.0.1:8082`; the page's own by default. */
  baseUrl: string;
  fetch?: typeof fetch;
  createSocket?: (url: string) => WebSocket;
  /** Where the session and device tokens live; in memory by default. */
  tokens?: SessionTokens;
}

type Method = RouteMethod;

/** A route's request line from the table: `:name` filled in, `query` appended. */
function target<Id extends RouteId>(id: Id, params?: RoutePathParams<Id>, query?: URLSearchParams): [Method, string] {
  const path = (routePath as (id: RouteId, p?: unknown) => string)(id, params);
  const suffix = query && query.size > 0 ? `?${query.toString()}` : '';
  return [ROUTES[id].method, `${path}${suffix}`];
}

export class HttpRelayClient implements RelayClient {
  readonly mode = 'http' as const;
  /** Null in a browser; the desktop app's operations when it is a team relay's client (team-client.ts). */
  readonly desktop: DesktopOperations | null = null;
  /** The supervisor pages' operations are admin operations like every other. */
  readonly supervisor: SupervisorOperations = this;
  private readonly live: LiveSocket;
  private readonly signedOut = new ListenerSet<void>();
  private readonly fetchImpl: typeof fetch;
  private readonly tokens: SessionTokens;

  constructor(private readonly options: HttpClientOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.tokens = options.tokens ?? memorySessionTokens();
    const wsBase = options.baseUrl.replace(/^http/, 'ws');
    this.live = new LiveSocket({
      getTicket: async () => (await this.request<{ ticket: string }>(...target('adminWsTicket'))).ticket,
      socketUrl: (ticket, since) => {
        const query = new URLSearchParams({ ticket });
        if (since !== null) query.set('since', String(since));
        return `${wsBase}${WS_PATH}?${query.toString()}`;
      },
      isSignedOutError: (err) => err instanceof RelayApiError && err.status === 401,
      ...(options.createSocket ? { createSocket: options.createSocket } : {}),
    });
    this.live.signedOut.add(() => this.signedOut.emit());
  }

  get linkState(): LinkState {
    return this.live.state;
  }

  startLive(): void {
    this.live.start();
  }

  stopLive(): void {
    this.live.stop();
  }

  subscribe(listener: (frame: RelayFrame) => void): () => void {
    return this.live.frames.add(listener);
  }

  onLinkState(listener: (state: LinkState) => void): () => void {
    return this.live.states.add(listener);
  }

  onNavigate(_listener?: (page: string) => void): () => void {
    return () => undefined; // only the desktop shell asks for pages
  }

  onSignedOut(listener: () => void): () => void {
    return this.signedOut.add(listener);
  }

  async login(username: string, password: string): Promise<AdminUser> {
    const deviceToken = this.tokens.device();
    const answer = await this.request<LoginResponse>(...target('login'), { username, password, ...(deviceToken ? { deviceToken } : {}) });
    this.tokens.setSession(answer.token);
    this.tokens.setDevice(answer.deviceToken);
    return answer.user;
  }

  async logout(): Promise<void> {
    this.live.stop();
    try {
      await this.request(...target('logout'));
    } catch (err) {
      // An already-expired session is logged out all the same.
      if (!(err instanceof RelayApiError && err.status === 401)) throw err;
    }
    this.tokens.setSession(null);
  }

  health(): Promise<Health> {
    return this.request(...target('relayHealth'));
  }

  me(): Promise<AdminUser> {
    return this.request(...target('me'));
  }

  stats(): Promise<Stats> {
    return this.request(...target('stats'));
  }

  connections(): Promise<ConnectionsView> {
    return this.request(...target('connections'));
  }

  async reconnect(component: ComponentName): Promise<void> {
    await this.request(...target('reconnect', { component }));
  }

  async activeCalls(): Promise<ActiveCall[]> {
    return (await this.request<ActiveCallsResponse>(...target('activeCalls'))).value;
  }

  async dropCall(id: number): Promise<void> {
    await this.request(...target('dropCall', { id }));
  }

  async listErrors(query: ErrorQuery): Promise<ErrorEntry[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    return (await this.request<{ errors: ErrorEntry[] }>(...target('listErrors', undefined, params))).errors;
  }

  async acknowledgeError(id: number): Promise<void> {
    await this.request(...target('acknowledgeError', { id }));
  }

  async listApiKeys(): Promise<ApiKeyInfo[]> {
    return (await this.request<{ keys: ApiKeyInfo[] }>(...target('listApiKeys'))).keys;
  }

  createApiKey(clientName: string, permissions: Permission[]): Promise<CreatedApiKey> {
    return this.request(...target('createApiKey'), { clientName, permissions });
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.request(...target('revokeApiKey', { id }));
  }

  async listUsers(): Promise<AdminUserInfo[]> {
    return (await this.request<{ users: AdminUserInfo[] }>(...target('listUsers'))).users;
  }

  async createUser(username: string, password: string, role: Role): Promise<void> {
    await this.request(...target('createUser'), { username, password, role });
  }

  async removeUser(username: string): Promise<void> {
    await this.request(...target('removeUser', { username }));
  }

  async setPassword(username: string, password: string, currentPassword?: string): Promise<void> {
    await this.request(...target('setPassword', { username }), { password, ...(currentPassword === undefined ? {} : { currentPassword }) });
  }

  async changeOwnPassword(username: string, currentPassword: string, newPassword: string): Promise<void> {
    await this.request(...target('setPassword', { username }), { password: newPassword, currentPassword });
  }

  cdrPage(query: { from: string; to: string; limit?: number; cursor?: string }): Promise<CdrPage> {
    const params = new URLSearchParams({ from: query.from, to: query.to });
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    return this.request(...target('cdrPage', undefined, params));
  }

  async listAlerts(query: AlertHistoryQuery): Promise<AlertEntry[]> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    return (await this.request<{ alerts: AlertEntry[] }>(...target('listAlerts', undefined, params))).alerts;
  }

  acknowledgeAlert(id: number): Promise<AlertEntry> {
    return this.request(...target('acknowledgeAlert', { id }));
  }

  async listAlertRules(): Promise<AlertRule[]> {
    return (await this.request<{ rules: AlertRule[] }>(...target('listAlertRules'))).rules;
  }

  createAlertRule(rule: AlertRuleInput): Promise<AlertRule> {
    return this.request(...target('createAlertRule'), rule);
  }

  updateAlertRule(id: number, rule: AlertRuleInput): Promise<AlertRule> {
    return this.request(...target('updateAlertRule', { id }), rule);
  }

  async deleteAlertRule(id: number): Promise<void> {
    await this.request(...target('deleteAlertRule', { id }));
  }

  async queues(): Promise<QueueFigures[]> {
    return (await this.request<{ queues: QueueFigures[] }>(...target('adminQueues'))).queues;
  }

  async agents(): Promise<AgentState[]> {
    return (await this.request<{ agents: AgentState[] }>(...target('adminAgents'))).agents;
  }

  pbx(): Promise<PbxOverview> {
    return this.request(...target('adminPbx'));
  }

  async setAgentQueueStatus(extension: string, status: 'LoggedIn' | 'LoggedOut'): Promise<void> {
    await this.request(...target('setAgentQueueStatus', { extension }), { status });
  }

  async exportCdrCsv(range: CdrRange, onProgress: (p: ExportProgress) => void): Promise<CsvExportResult> {
    const params = new URLSearchParams({ from: range.from, to: range.to });
    const response = await this.send(...target('cdrCsv', undefined, params));
    const tracker = new CsvProgress(range);
    const parts: BlobPart[] = [];
    if (response.body) {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let lastReport = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        const progress = tracker.push(value);
        // Parsing is cheap; re-rendering on every chunk is not.
        const now = Date.now();
        if (now - lastReport >= 100) {
          lastReport = now;
          onProgress(progress);
        }
      }
    } else {
      const text = await response.text();
      parts.push(text);
      tracker.push(text);
    }
    const final = tracker.finish();
    onProgress(final);
    const fileName = `call-records_${range.from.slice(0, 10)}_${range.to.slice(0, 10)}.csv`;
    saveBlob(new Blob(parts, { type: 'text/csv' }), fileName);
    return { rows: final.rows, savedAs: fileName };
  }

  private async request<T = void>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new RelayApiError('The relay sent an answer the dashboard cannot read.', 'bad_response', response.status);
    }
  }

  /** Sends a request; a non-2xx answer becomes a RelayApiError carrying the relay's message. */
  private async send(method: Method, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      const session = this.tokens.session();
      response = await this.fetchImpl(`${this.options.baseUrl}${path}`, {
        method,
        credentials: 'omit', // nothing here rides on cookies
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(session && path !== '/admin/login' ? { Authorization: `Bearer ${session}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new RelayApiError('Cannot reach the relay. Is it running?', 'unreachable', 0);
    }
    if (response.ok) return response;
    let message = `The relay answered ${response.status}.`;
    let code = 'http_error';
    try {
      const parsed = (await response.json()) as Partial<{ error: string; code: string }>;
      if (typeof parsed.error === 'string') message = parsed.error;
      if (typeof parsed.code === 'string') code = parsed.code;
    } catch {
      // not JSON: keep the generic message
    }
    // A 401 on anything but the login itself means the session ended.
    if (response.status === 401 && path !== ROUTES.login.path) {
      this.tokens.setSession(null);
      this.signedOut.emit();
    }
    throw new RelayApiError(message, code, response.status);
  }
}
