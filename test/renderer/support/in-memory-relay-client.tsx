// .tsx although it holds no JSX: the root tsconfig (Node, no DOM) globs test/**/*.ts;
// renderer test code is compiled by renderer/tsconfig.json only.
// A RelayClient for component tests: keeps users, keys, errors and calls in
// memory and applies the same rules the relay does where the components rely
// on them (error filters, key shown once, viewers refused admin operations).
// The real transports are exercised end to end in test/e2e against the relay.
import type {
  ActiveCall, AdminUser, AdminUserInfo, ApiKeyInfo, CdrPage, ComponentName, ConnectionsView, CreatedApiKey,
  ErrorEntry, ErrorQuery, Health, Permission, RelayFrame, Role, Stats,
} from '../../../relay/contract/api-types.js';
import type { DesktopOperations, ExportProgress } from '../../../relay/contract/ipc-channels.js';
import type { AlertEntry, AlertHistoryQuery, AlertRule, AlertRuleInput } from '../../../relay/contract/supervisor-types.js';
import type { AgentState, PbxOverview, QueueFigures } from '../../../relay/contract/supervisor-types.js';
import { RelayApiError } from '../../../renderer/client/relay-api-error.js';
import type { CdrRange, CsvExportResult, LinkState, RelayClient } from '../../../renderer/client/relay-client.js';
import { InMemorySupervisor } from './in-memory-supervisor.js';

type Listener<T> = (value: T) => void;

export class InMemoryRelayClient implements RelayClient {
  readonly mode = 'http' as const;
  /** Desktop-only operations; set by tests of desktop pages. */
  desktop: DesktopOperations | null = null;
  linkState: LinkState = 'live';
  calls: ActiveCall[] = [];
  /** How far the simulated PBX clock runs ahead of ours; ServerNow is stamped with it, as 3CX does. */
  pbxClockAheadMs = 0;
  errors: ErrorEntry[] = [];
  keys: (ApiKeyInfo & { secret: string })[] = [];
  users: AdminUserInfo[] = [];
  /** Every operation called, with its arguments, in order. */
  readonly log: { op: string; args: unknown[] }[] = [];
  private readonly frameListeners = new Set<Listener<RelayFrame>>();
  private readonly linkListeners = new Set<Listener<LinkState>>();
  private seq = 0;
  private nextKey = 1;

  /** Queues, agents, PBX and alerts; tests set it to null to play a relay without them. */
  supervisor: InMemorySupervisor | null;

  constructor(private user: AdminUser) {
    this.supervisor = new InMemorySupervisor(user, (frame) => this.emit(frame));
  }

  // ---- test controls ----
  emit(frame: RelayFrame): void {
    for (const l of [...this.frameListeners]) l(frame);
  }

  pushCalls(calls: ActiveCall[]): void {
    this.calls = calls;
    this.emit({ type: 'calls', seq: ++this.seq, at: new Date().toISOString(), value: this.stamped() });
  }

  private stamped(): ActiveCall[] {
    const serverNow = new Date(Date.now() + this.pbxClockAheadMs).toISOString();
    return this.calls.map((c) => ({ ...c, ServerNow: serverNow }));
  }

  logError(entry: ErrorEntry): void {
    this.errors.unshift(entry);
    this.emit({ type: 'error_logged', seq: ++this.seq, at: entry.at, data: entry });
  }

  setLink(state: LinkState): void {
    this.linkState = state;
    for (const l of [...this.linkListeners]) l(state);
  }

  // ---- RelayClient ----
  startLive(): void {}
  stopLive(): void {}
  subscribe(listener: Listener<RelayFrame>): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }
  onLinkState(listener: Listener<LinkState>): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }
  onNavigate(): () => void {
    return () => undefined;
  }
  onSignedOut(): () => void {
    return () => undefined;
  }
  async login(): Promise<AdminUser> {
    return this.user;
  }
  async logout(): Promise<void> {}

  private record(op: string, args: unknown[]): void {
    this.log.push({ op, args });
  }

  private requireAdmin(): void {
    if (this.user.role !== 'admin') throw new RelayApiError('Only an admin may do this.', 'forbidden', 403);
  }

  async health(): Promise<Health> {
    const component = { state: 'connected' as const, latencyMs: 12, lastError: null, since: new Date().toISOString() };
    return { status: 'ok', version: 'test', uptimeS: 60, components: { xapi: component, callcontrol: component, database: component } };
  }
  async me(): Promise<AdminUser> {
    return this.user;
  }
  async stats(): Promise<Stats> {
    return {
      activeCalls: this.calls.length, callsToday: 3, eventsToday: 10, uptimeS: 60, requestsPerKey: [],
      errors: { unacknowledged: this.errors.filter((e) => !e.acknowledged).length, total: this.errors.length, bySeverity: { info: 0, warning: 0, error: 0, critical: 0 } },
      callsPerHour: [],
    };
  }
  async connections(): Promise<ConnectionsView> {
    const now = new Date().toISOString();
    const names: ComponentName[] = ['xapi', 'callcontrol', 'database'];
    return { components: names.map((component) => ({ component, state: 'connected', latencyMs: 5, lastError: null, since: now, history: [] })) };
  }
  async reconnect(component: ComponentName): Promise<void> {
    this.record('reconnect', [component]);
    this.requireAdmin();
  }
  async activeCalls(): Promise<ActiveCall[]> {
    return this.stamped();
  }
  async dropCall(id: number): Promise<void> {
    this.record('dropCall', [id]);
    this.requireAdmin();
    if (!this.calls.some((c) => c.Id === id)) throw new RelayApiError('No such call.', 'not_found', 404);
    this.pushCalls(this.calls.filter((c) => c.Id !== id));
  }
  async listErrors(query: ErrorQuery): Promise<ErrorEntry[]> {
    this.record('listErrors', [query]);
    return this.errors
      .filter((e) => query.component === undefined || e.component === query.component)
      .filter((e) => query.severity === undefined || e.severity === query.severity)
      .filter((e) => query.acknowledged === undefined || e.acknowledged === query.acknowledged)
      .filter((e) => query.before === undefined || e.id < query.before)
      .slice(0, query.limit ?? 100);
  }
  async acknowledgeError(id: number): Promise<void> {
    this.record('acknowledgeError', [id]);
    const entry = this.errors.find((e) => e.id === id);
    if (!entry) throw new RelayApiError('No such error.', 'not_found', 404);
    entry.acknowledged = true;
    entry.acknowledgedBy = this.user.username;
    entry.acknowledgedAt = new Date().toISOString();
  }
  async listApiKeys(): Promise<ApiKeyInfo[]> {
    this.requireAdmin();
    // Never the secret: strip it like the relay does.
    return this.keys.map(({ secret: _secret, ...info }) => info);
  }
  async createApiKey(clientName: string, permissions: Permission[]): Promise<CreatedApiKey> {
    this.record('createApiKey', [clientName, permissions]);
    this.requireAdmin();
    const id = `k${this.nextKey++}`;
    const secret = `rk_${id}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    this.keys.push({ id, clientName, permissions, active: true, createdAt: new Date().toISOString(), createdBy: this.user.username, lastUsedAt: null, requestCount: 0, secret });
    return { id, apiKey: secret, warning: 'Store this key now: it will not be shown again.' };
  }
  async revokeApiKey(id: string): Promise<void> {
    this.record('revokeApiKey', [id]);
    this.requireAdmin();
    const key = this.keys.find((k) => k.id === id);
    if (!key) throw new RelayApiError('No such key.', 'not_found', 404);
    key.active = false;
  }
  async listUsers(): Promise<AdminUserInfo[]> {
    this.requireAdmin();
    return this.users;
  }
  async createUser(username: string, _password: string, role: Role): Promise<void> {
    this.requireAdmin();
    this.users.push({ username, role, createdAt: new Date().toISOString(), lastLoginAt: null });
  }
  async removeUser(username: string): Promise<void> {
    this.requireAdmin();
    this.users = this.users.filter((u) => u.username !== username);
  }
  async setPassword(username: string, password: string): Promise<void> {
    this.record('setPassword', [username, password.length]);
    if (this.user.role !== 'admin' && username !== this.user.username) this.requireAdmin();
  }
  async changeOwnPassword(username: string, current: string, password: string): Promise<void> {
    this.record('changeOwnPassword', [username, current.length, password.length]);
  }
  async cdrPage(): Promise<CdrPage> {
    return { rows: [], nextCursor: null };
  }
  // The supervisor operations are played by the in-memory supervisor (in-memory-supervisor.tsx).
  private sup(): InMemorySupervisor {
    if (!this.supervisor) throw new RelayApiError('This relay does not provide the supervisor view.', 'not_found', 404);
    return this.supervisor;
  }
  listAlerts(query: AlertHistoryQuery): Promise<AlertEntry[]> {
    return this.sup().listAlerts(query);
  }
  acknowledgeAlert(id: number): Promise<AlertEntry> {
    return this.sup().acknowledgeAlert(id);
  }
  listAlertRules(): Promise<AlertRule[]> {
    return this.sup().listAlertRules();
  }
  createAlertRule(rule: AlertRuleInput): Promise<AlertRule> {
    return this.sup().createAlertRule(rule);
  }
  updateAlertRule(id: number, rule: AlertRuleInput): Promise<AlertRule> {
    return this.sup().updateAlertRule(id, rule);
  }
  deleteAlertRule(id: number): Promise<void> {
    return this.sup().deleteAlertRule(id);
  }
  queues(): Promise<QueueFigures[]> {
    return this.sup().queues();
  }
  agents(): Promise<AgentState[]> {
    return this.sup().agents();
  }
  pbx(): Promise<PbxOverview> {
    return this.sup().pbx();
  }
  setAgentQueueStatus(extension: string, status: 'LoggedIn' | 'LoggedOut'): Promise<void> {
    return this.sup().setAgentQueueStatus(extension, status);
  }
  async exportCdrCsv(_range: CdrRange, onProgress: (p: ExportProgress) => void): Promise<CsvExportResult | null> {
    onProgress({ rows: 0, fraction: 1 });
    return { rows: 0, savedAs: 'test.csv' };
  }
}

export function errorEntry(partial: Partial<ErrorEntry> & Pick<ErrorEntry, 'id' | 'message'>): ErrorEntry {
  const at = partial.at ?? new Date(Date.UTC(2026, 10, 1, 12, 0, partial.id)).toISOString();
  return {
    component: 'xapi', severity: 'error', details: null, acknowledged: false, acknowledgedAt: null, acknowledgedBy: null,
    occurrences: 1, lastAt: at, ...partial, at,
  };
}
