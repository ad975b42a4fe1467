// The supervisor view's operations as the dashboard calls them: admin
// operations like every other (relay/contract/admin-operations.ts), named
// here so the pages depend on just these and the in-memory test client can
// play them alone.
import type { AdminOperations } from '../../relay/contract/admin-operations.js';
import type { AgentState, AlertHistoryQuery } from '../../relay/contract/supervisor-types.js';

export type AlertQuery = AlertHistoryQuery;

export type AgentQueueStatus = AgentState['queueStatus'];

export type SupervisorOperations = Pick<AdminOperations,
  | 'queues' | 'agents' | 'pbx' | 'setAgentQueueStatus'
  | 'listAlertRules' | 'createAlertRule' | 'updateAlertRule' | 'deleteAlertRule' | 'listAlerts' | 'acknowledgeAlert'>;
