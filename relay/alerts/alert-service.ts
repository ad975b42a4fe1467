// Alert rules and history as the admin operations and the integration API
// see them: rule changes are stored, then the engine re-reads the rules and
// evaluates at once, so a new rule takes effect without waiting for a tick.
// Input arrives validated (contract/schemas.ts alertRuleInput, alertQuery).
import type { AlertEntry, AlertHistoryQuery, AlertRule, AlertRuleInput } from '../contract/supervisor-types.js';
import type { Clock } from '../core/clock.js';
import { RelayError } from '../core/relay-error.js';
import type { AlertHistoryRepository } from '../store/alert-history-repository.js';
import type { AlertRuleRepository } from '../store/alert-rule-repository.js';
import { isoAt } from '../store/store-schema.js';
import type { AlertEngine } from './alert-engine.js';

export interface AlertServiceDeps {
  rules: AlertRuleRepository;
  history: Pick<AlertHistoryRepository, 'list'>;
  engine: Pick<AlertEngine, 'rulesChanged' | 'acknowledge'>;
  clock: Clock;
}

export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  listRules(): Promise<AlertRule[]> {
    return this.deps.rules.list();
  }

  async createRule(rule: AlertRuleInput, createdBy: string): Promise<AlertRule> {
    const created = await this.deps.rules.insert(rule, createdBy, isoAt(this.deps.clock.now()));
    await this.deps.engine.rulesChanged();
    return created;
  }

  async updateRule(id: number, rule: AlertRuleInput): Promise<AlertRule> {
    const updated = await this.deps.rules.update(id, rule, isoAt(this.deps.clock.now()));
    if (!updated) throw RelayError.notFound(`no alert rule with id ${id}`);
    await this.deps.engine.rulesChanged();
    return updated;
  }

  async deleteRule(id: number): Promise<void> {
    if (!(await this.deps.rules.remove(id))) throw RelayError.notFound(`no alert rule with id ${id}`);
    await this.deps.engine.rulesChanged();
  }

  list(query: AlertHistoryQuery): Promise<AlertEntry[]> {
    return this.deps.history.list(query);
  }

  acknowledge(id: number, by: string): Promise<AlertEntry> {
    return this.deps.engine.acknowledge(id, by);
  }
}
