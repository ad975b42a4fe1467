// Every admin operation, once. The admin HTTP routes and the Electron IPC
// handlers both call an implementation of this interface, and the renderer's
// RelayClient exposes the same methods; a mismatch anywhere fails `tsc`.
import type {
  ActiveCall, AdminUser, AdminUserInfo, ApiKeyInfo, CdrPage, ComponentName, ConnectionsView,
  CreatedApiKey, ErrorEntry, ErrorQuery, Health, Permission, Role, Stats,
} from './api-types.js';
import type { AlertEntry, AlertHistoryQuery, AlertRule, AlertRuleInput } from './supervisor-types.js';
import type { AgentState, PbxOverview, QueueFigures } from './supervisor-types.js';

export interface AdminOperations {
  health(): Promise<Health>;
  me(): Promise<AdminUser>;
  stats(): Promise<Stats>;
  connections(): Promise<ConnectionsView>;
  reconnect(component: ComponentName): Promise<void>;
  activeCalls(): Promise<ActiveCall[]>;
  dropCall(id: number): Promise<void>;
  listErrors(query: ErrorQuery): Promise<ErrorEntry[]>;
  acknowledgeError(id: number): Promise<void>;
  listApiKeys(): Promise<ApiKeyInfo[]>;
  createApiKey(clientName: string, permissions: Permission[]): Promise<CreatedApiKey>;
  revokeApiKey(id: string): Promise<void>;
  listUsers(): Promise<AdminUserInfo[]>;
  createUser(username: string, password: string, role: Role): Promise<void>;
  removeUser(username: string): Promise<void>;
  /**
   * Sets a password. An admin may set anyone's; one's own asks for
   * `currentPassword` (always for a viewer, and whenever it is given).
   */
  setPassword(username: string, password: string, currentPassword?: string): Promise<void>;
  cdrPage(query: { from: string; to: string; limit?: number; cursor?: string }): Promise<CdrPage>;
  /** Alert history, newest first. */
  listAlerts(query: AlertHistoryQuery): Promise<AlertEntry[]>;
  /** Stores who acknowledged and when (the first acknowledgement stays). */
  acknowledgeAlert(id: number): Promise<AlertEntry>;
  listAlertRules(): Promise<AlertRule[]>;
  createAlertRule(rule: AlertRuleInput): Promise<AlertRule>;
  /** Replaces the rule's settings. */
  updateAlertRule(id: number, rule: AlertRuleInput): Promise<AlertRule>;
  deleteAlertRule(id: number): Promise<void>;
  /** The supervisor view (the same shared figures as GET /relay/queues, /relay/agents, /relay/pbx). */
  queues(): Promise<QueueFigures[]>;
  agents(): Promise<AgentState[]>;
  pbx(): Promise<PbxOverview>;
  /** Logs an agent in or out of all its queues on the PBX (XAPI `Users` `QueueStatus`); audited with who did it. */
  setAgentQueueStatus(extension: string, status: 'LoggedIn' | 'LoggedOut'): Promise<void>;
}

export type AdminOperationName = keyof AdminOperations;

/** Method name -> IPC channel. The list is the single source for preload, main and renderer. */
export const ADMIN_OPERATION_NAMES = [
  'health', 'me', 'stats', 'connections', 'reconnect', 'activeCalls', 'dropCall', 'listErrors',
  'acknowledgeError', 'listApiKeys', 'createApiKey', 'revokeApiKey', 'listUsers', 'createUser',
  'removeUser', 'setPassword', 'cdrPage', 'queues', 'agents', 'pbx', 'setAgentQueueStatus',
  'listAlerts', 'acknowledgeAlert', 'listAlertRules', 'createAlertRule', 'updateAlertRule', 'deleteAlertRule',
] as const satisfies readonly AdminOperationName[];

// Compile-time check that the list names every operation.
type Missing = Exclude<AdminOperationName, (typeof ADMIN_OPERATION_NAMES)[number]>;
const _allListed: Missing extends never ? true : ['missing from ADMIN_OPERATION_NAMES', Missing] = true;
void _allListed;

export const ipcChannel = (op: AdminOperationName): string => `relay:${op}`;
