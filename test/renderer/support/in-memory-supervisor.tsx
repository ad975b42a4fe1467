// .tsx although it holds no JSX: renderer test code is compiled by renderer/tsconfig.json only.
// The supervisor operations for component tests: queues, agents, the PBX
// overview, alert rules and history kept in memory, with the relay's rules
// the pages rely on (viewers refused admin operations, acknowledge stores the
// user) and test controls that push the same frames the relay sends.
import type { AdminUser, RelayFrame } from '../../../relay/contract/api-types.js';
import type {
  AgentState, AlertEntry, AlertRule, AlertRuleInput, PbxOverview, QueueFigures, Sourced,
} from '../../../relay/contract/supervisor-types.js';
import { RelayApiError } from '../../../renderer/client/relay-api-error.js';
import type { AgentQueueStatus, AlertQuery, SupervisorOperations } from '../../../renderer/client/supervisor-operations.js';

export class InMemorySupervisor implements SupervisorOperations {
  queueList: QueueFigures[] = [];
  agentList: AgentState[] = [];
  pbxOverview: PbxOverview = {
    version: '20.0.7.1080', licenseActive: true, extensions: { registered: 12, total: 40 }, trunks: { registered: 2, total: 2 },
    callControlCoverage: null, asOf: new Date().toISOString(), stale: false,
  };
  rules: AlertRule[] = [];
  history: AlertEntry[] = [];
  readonly log: { op: string; args: unknown[] }[] = [];
  private seq = 1000;
  private nextRule = 1;

  constructor(private readonly user: AdminUser, private readonly emit: (frame: RelayFrame) => void) {}

  // ---- test controls ----
  pushQueue(queue: QueueFigures): void {
    this.queueList = [...this.queueList.filter((q) => q.id !== queue.id), queue];
    this.emit({ type: 'queue_stats', seq: ++this.seq, at: new Date().toISOString(), value: queue });
  }

  pushAgent(agent: AgentState): void {
    this.agentList = [...this.agentList.filter((a) => a.extension !== agent.extension), agent];
    this.emit({ type: 'agent_state', seq: ++this.seq, at: new Date().toISOString(), value: agent });
  }

  fire(entry: AlertEntry): void {
    this.history = [entry, ...this.history.filter((e) => e.id !== entry.id)];
    const { id, rule, severity, state, message } = entry;
    this.emit({ type: 'alert', seq: ++this.seq, at: new Date().toISOString(), data: { id, rule, severity, state, message } });
  }

  private requireAdmin(): void {
    if (this.user.role !== 'admin') throw new RelayApiError('Only an admin may do this.', 'forbidden', 403);
  }

  // ---- SupervisorOperations ----
  async queues(): Promise<QueueFigures[]> {
    return this.queueList;
  }
  async agents(): Promise<AgentState[]> {
    return this.agentList;
  }
  async pbx(): Promise<PbxOverview> {
    return this.pbxOverview;
  }
  async setAgentQueueStatus(extension: string, status: AgentQueueStatus): Promise<void> {
    this.log.push({ op: 'setAgentQueueStatus', args: [extension, status] });
    this.requireAdmin();
    const agent = this.agentList.find((a) => a.extension === extension);
    if (!agent) throw new RelayApiError('No such agent.', 'not_found', 404);
    this.pushAgent({ ...agent, queueStatus: status });
  }
  async listAlertRules(): Promise<AlertRule[]> {
    return this.rules;
  }
  async createAlertRule(input: AlertRuleInput): Promise<AlertRule> {
    this.log.push({ op: 'createAlertRule', args: [input] });
    this.requireAdmin();
    const now = new Date().toISOString();
    const rule: AlertRule = { ...input, id: this.nextRule++, createdBy: this.user.username, createdAt: now, updatedAt: now };
    this.rules = [...this.rules, rule];
    return rule;
  }
  async updateAlertRule(id: number, input: AlertRuleInput): Promise<AlertRule> {
    this.log.push({ op: 'updateAlertRule', args: [id, input] });
    this.requireAdmin();
    const old = this.rules.find((r) => r.id === id);
    if (!old) throw new RelayApiError('No such rule.', 'not_found', 404);
    const rule: AlertRule = { ...old, ...input, updatedAt: new Date().toISOString() };
    this.rules = this.rules.map((r) => (r.id === id ? rule : r));
    return rule;
  }
  async deleteAlertRule(id: number): Promise<void> {
    this.log.push({ op: 'deleteAlertRule', args: [id] });
    this.requireAdmin();
    this.rules = this.rules.filter((r) => r.id !== id);
  }
  async listAlerts(query: AlertQuery): Promise<AlertEntry[]> {
    return this.history
      .filter((e) => query.state === undefined || e.state === query.state)
      .filter((e) => query.before === undefined || e.id < query.before)
      .slice(0, query.limit ?? 100);
  }
  async acknowledgeAlert(id: number): Promise<AlertEntry> {
    this.log.push({ op: 'acknowledgeAlert', args: [id] });
    const entry = this.history.find((e) => e.id === id);
    if (!entry) throw new RelayApiError('No such alert.', 'not_found', 404);
    const acknowledged: AlertEntry = { ...entry, state: 'acknowledged', acknowledgedBy: this.user.username, acknowledgedAt: new Date().toISOString() };
    this.fire(acknowledged);
    return acknowledged;
  }
}

export function sourced<T>(value: T, asOf: string | null = new Date().toISOString(), stale = false): Sourced<T> {
  return { value, asOf, stale };
}

/** A queue with every figure confirmed at `asOf`. */
export function queueFigures(partial: Partial<QueueFigures> & Pick<QueueFigures, 'id' | 'name'>, asOf = new Date().toISOString(), stale = false): QueueFigures {
  const s = <T,>(v: T) => sourced(v, asOf, stale);
  return {
    number: String(800 + partial.id), slaSeconds: 20,
    callsWaiting: s(0), longestWaitS: s(0), agentsLoggedIn: s(3), agentsAvailable: s(2), agentsBusy: s(1),
    answeredToday: s(10), abandonedToday: s(1), serviceLevelToday: s<number | null>(90), avgWaitS: s<number | null>(12), avgTalkS: s<number | null>(120),
    ...partial,
  };
}

export function alertEntry(partial: Partial<AlertEntry> & Pick<AlertEntry, 'id' | 'rule'>): AlertEntry {
  return {
    ruleId: 1, severity: 'warning', state: 'fired', message: `${partial.rule} fired`, firedAt: new Date().toISOString(),
    clearedAt: null, acknowledgedBy: null, acknowledgedAt: null, silenced: false, ...partial,
  };
}
