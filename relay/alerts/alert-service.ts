// Alert rules and history as the admin operations and the integration API
// see them: rule changes are stored, then the engine re-reads the rules and
// evaluates at once, so a new rule takes effect without waiting for a tick.
// Input arrives validated (contract/schemas.ts alertRuleInput, alertQuery).
// Each stored change is also announced (`rulesChanged`), so the other relays
// of a team re-read the rules too (relay/team/attach-team-bus.ts).
import { EventEmitter } from 'node:events';
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
  engine: Pick<AlertEngine, 'rulesChanged' | 'forgetRules' | 'acknowledge'>;
  clock: Clock;
}

export type AlertServiceEvents = {
  /** A rule was added, changed or removed here (already stored). */
  rulesChanged: [];
};

export class AlertService extends EventEmitter<AlertServiceEvents> {
  constructor(private readonly deps: AlertServiceDeps) {
    super();
  }

  listRules(): Promise<AlertRule[]> {
    return this.deps.rules.list();
  }

  async createRule(rule: AlertRuleInput, createdBy: string): Promise<AlertRule> {
    const created = await this.deps.rules.insert(rule, createdBy, isoAt(this.deps.clock.now()));
    this.emit('rulesChanged');
    await this.deps.engine.rulesChanged();
    return created;
  }

  async updateRule(id: number, rule: AlertRuleInput): Promise<AlertRule> {
    const updated = await this.deps.rules.update(id, rule, isoAt(this.deps.clock.now()));
    if (!updated) throw RelayError.notFound(`no alert rule with id ${id}`);
    this.emit('rulesChanged');
    await this.deps.engine.rulesChanged();
    return updated;
  }

  async deleteRule(id: number): Promise<void> {
    if (!(await this.deps.rules.remove(id))) throw RelayError.notFound(`no alert rule with id ${id}`);
    this.emit('rulesChanged');
    await this.deps.engine.rulesChanged();
  }

  /** The rules were changed by another relay of the team: the engine reads them again (see AlertEngine.forgetRules). */
  forgetRules(): Promise<void> {
    return this.deps.engine.forgetRules();
  }

  list(query: AlertHistoryQuery): Promise<AlertEntry[]> {
    return this.deps.history.list(query);
  }

  acknowledge(id: number, by: string): Promise<AlertEntry> {
    return this.deps.engine.acknowledge(id, by);
  }
}
