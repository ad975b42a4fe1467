// The supervisor view's operations as the dashboard calls them. The names are
// the AdminOperations names the relay's supervisor and alert operations take,
// so once the relay serves them the HTTP and IPC clients can expose them as
// they do every other admin operation.
import type {
  AgentState, AlertEntry, AlertRule, AlertRuleInput, AlertState, PbxOverview, QueueFigures,
} from '../../relay/contract/supervisor-types.js';

export interface AlertQuery {
  state?: AlertState;
  limit?: number;
  /** Entries with id < before (pagination, newest first). */
  before?: number;
}

export type AgentQueueStatus = AgentState['queueStatus'];

export interface SupervisorOperations {
  queues(): Promise<QueueFigures[]>;
  agents(): Promise<AgentState[]>;
  pbxOverview(): Promise<PbxOverview>;
  /** Logs an agent in or out of all its queues (admin; audited by the relay). */
  setAgentQueueStatus(extension: string, status: AgentQueueStatus): Promise<void>;
  listAlertRules(): Promise<AlertRule[]>;
  createAlertRule(rule: AlertRuleInput): Promise<AlertRule>;
  updateAlertRule(id: number, rule: AlertRuleInput): Promise<AlertRule>;
  deleteAlertRule(id: number): Promise<void>;
  listAlerts(query: AlertQuery): Promise<AlertEntry[]>;
  acknowledgeAlert(id: number): Promise<void>;
}
