// Every admin operation, implemented once over the relay's services. The
// admin HTTP routes use it acting as the signed-in user (role-checked here,
// so no route can forget a check; the current-password rule too); the
// desktop IPC uses it acting as the local admin. Inputs are validated at each
// edge (HTTP routes, IPC handlers) with the contract's zod schemas before
// they arrive here.
import type { AdminOperationName, AdminOperations } from '../contract/admin-operations.js';
import type {
  ActiveCallsResponse, AdminUser, AdminUserInfo, ApiKeyInfo, ComponentName, ConnectionsView, CreatedApiKey, ErrorEntry, ErrorQuery,
  Health, Permission, Role, Stats,
} from '../contract/api-types.js';
import type { AlertEntry, AlertHistoryQuery, AlertRule, AlertRuleInput } from '../contract/supervisor-types.js';
import type { AgentState, PbxOverview, QueueFigures } from '../contract/supervisor-types.js';
import { RelayError } from '../core/relay-error.js';
import { sameUsername } from '../auth/username.js';
import type { ActiveCallsService } from '../live-calls/active-calls-service.js';
import { exportCdrCsv, type CsvExportOptions } from '../call-records/cdr-csv-export.js';
import { cdrPage, requireCdr, toRange } from '../call-records/cdr-queries.js';
import type { CdrPort } from '../pbx/upstream.js';

export type AdminActor = { kind: 'local' } | { kind: 'user'; user: AdminUser };

/** The person at the desktop (IPC): no login, full rights. */
export const LOCAL_ADMIN: AdminUser = { username: 'desktop', role: 'admin' };

export interface AdminServices {
  health(): Health;
  stats(): Promise<Stats>;
  connections(): Promise<ConnectionsView>;
  reconnect(component: ComponentName): Promise<void>;
  calls: Pick<ActiveCallsService, 'list' | 'drop'>;
  cdr(): CdrPort | undefined;
  errors: { list(q: ErrorQuery): Promise<ErrorEntry[]>; acknowledge(id: number, by: string | null): Promise<unknown> };
  apiKeys: {
    list(): Promise<ApiKeyInfo[]>;
    create(clientName: string, permissions: Permission[], createdBy: string | null): Promise<CreatedApiKey>;
    revoke(id: string): Promise<void>;
  };
  supervisor: {
    queues(): QueueFigures[];
    agents(): AgentState[];
    pbx(): PbxOverview;
    /** Changes the agent's status on the PBX and records it in the audit trail as done by `actor`. */
    setQueueStatus(extension: string, status: 'LoggedIn' | 'LoggedOut', actor: string): Promise<void>;
  };
  users: {
    list(): Promise<AdminUserInfo[]>;
    create(username: string, password: string, role: Role): Promise<unknown>;
    remove(username: string): Promise<void>;
    setPassword(username: string, password: string): Promise<void>;
    /** Checks a user's current password (own password change). */
    verifyPassword(username: string, password: string): Promise<boolean>;
  };
  alerts: {
    list(query: AlertHistoryQuery): Promise<AlertEntry[]>;
    acknowledge(id: number, by: string): Promise<AlertEntry>;
    listRules(): Promise<AlertRule[]>;
    createRule(rule: AlertRuleInput, createdBy: string): Promise<AlertRule>;
    updateRule(id: number, rule: AlertRuleInput): Promise<AlertRule>;
    deleteRule(id: number): Promise<void>;
  };
}

/** Operations a viewer may not perform (setPassword: only on someone else). */
export const ADMIN_ONLY_OPERATIONS: ReadonlySet<AdminOperationName> = new Set<AdminOperationName>([
  'reconnect', 'dropCall', 'listApiKeys', 'createApiKey', 'revokeApiKey', 'listUsers', 'createUser', 'removeUser',
  'createAlertRule', 'updateAlertRule', 'deleteAlertRule',
  'setAgentQueueStatus',
]);

/**
 * What the admin HTTP API needs beyond the IPC operations: the live-call
 * answer with its source and age, and the CSV export streamed into a response
 * (the desktop writes its file through DesktopOperations instead).
 */
export interface AdminHttpOperations extends AdminOperations {
  activeCallsResponse(): Promise<ActiveCallsResponse>;
  exportCdrCsv(range: { from: string; to: string }, out: NodeJS.WritableStream, opts: Pick<CsvExportOptions, 'signal' | 'onReady'>): Promise<{ rows: number }>;
}

export function createAdminOperations(services: AdminServices, actor: AdminActor): AdminHttpOperations {
  const user = actor.kind === 'local' ? LOCAL_ADMIN : actor.user;
  const requireAdmin = (op: AdminOperationName): void => {
    if (user.role !== 'admin') throw RelayError.forbidden(`this needs the admin role (${op}); you are signed in as a viewer`);
  };
  const guarded = <A extends unknown[], R>(op: AdminOperationName, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (ADMIN_ONLY_OPERATIONS.has(op)) requireAdmin(op);
      return fn(...args);
    };

  return {
    health: async () => services.health(),
    me: async () => ({ username: user.username, role: user.role }),
    stats: () => services.stats(),
    connections: () => services.connections(),
    reconnect: guarded('reconnect', (component: ComponentName) => services.reconnect(component)),
    activeCalls: async () => (await services.calls.list()).value,
    activeCallsResponse: () => services.calls.list(),
    dropCall: guarded('dropCall', (id: number) => services.calls.drop(id)),
    listErrors: (query: ErrorQuery) => services.errors.list(query),
    acknowledgeError: async (id: number) => {
      await services.errors.acknowledge(id, user.username);
    },
    listApiKeys: guarded('listApiKeys', () => services.apiKeys.list()),
    createApiKey: guarded('createApiKey', (clientName: string, permissions: Permission[]) =>
      services.apiKeys.create(clientName, permissions, user.username)),
    revokeApiKey: guarded('revokeApiKey', (id: string) => services.apiKeys.revoke(id)),
    listUsers: guarded('listUsers', () => services.users.list()),
    createUser: guarded('createUser', async (username: string, password: string, role: Role) => {
      await services.users.create(username, password, role);
    }),
    removeUser: guarded('removeUser', async (username: string) => {
      await services.users.remove(username);
    }),
    setPassword: async (username: string, password: string, currentPassword?: string) => {
      if (!sameUsername(username, user.username)) requireAdmin('setPassword');
      // One's own password asks for the current one when given, and always
      // for a viewer (an admin may reset anyone's, the desktop person anything).
      else if (currentPassword !== undefined || user.role !== 'admin') {
        if (!currentPassword || !(await services.users.verifyPassword(username, currentPassword))) {
          throw RelayError.forbidden('`currentPassword` is missing or wrong');
        }
      }
      await services.users.setPassword(username, password);
    },
    cdrPage: (query) => cdrPage(services.cdr(), query),
    listAlerts: (query: AlertHistoryQuery) => services.alerts.list(query),
    acknowledgeAlert: (id: number) => services.alerts.acknowledge(id, user.username),
    listAlertRules: () => services.alerts.listRules(),
    createAlertRule: guarded('createAlertRule', (rule: AlertRuleInput) => services.alerts.createRule(rule, user.username)),
    updateAlertRule: guarded('updateAlertRule', (id: number, rule: AlertRuleInput) => services.alerts.updateRule(id, rule)),
    deleteAlertRule: guarded('deleteAlertRule', (id: number) => services.alerts.deleteRule(id)),
    queues: async () => services.supervisor.queues(),
    agents: async () => services.supervisor.agents(),
    pbx: async () => services.supervisor.pbx(),
    setAgentQueueStatus: guarded('setAgentQueueStatus', (extension: string, status: 'LoggedIn' | 'LoggedOut') =>
      services.supervisor.setQueueStatus(extension, status, user.username)),
    exportCdrCsv: async (range, out, opts) => exportCdrCsv(requireCdr(services.cdr()), toRange(range), out, opts),
  };
}
