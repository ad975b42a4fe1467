// One repository per table (group), all over the same Kysely instance.
import type { Kysely } from 'kysely';
import { AlertHistoryRepository } from './alert-history-repository.js';
import { AlertRuleRepository } from './alert-rule-repository.js';
import { AgentAuditRepository } from './agent-audit-repository.js';
import { ApiKeyRepository } from './api-key-repository.js';
import { ApiRequestRepository } from './api-request-repository.js';
import { ConnectionHistoryRepository } from './connection-history-repository.js';
import { DailyCountRepository } from './daily-count-repository.js';
import { ErrorLogRepository } from './error-log-repository.js';
import { SecretRepository } from './secret-repository.js';
import { SessionRepository } from './session-repository.js';
import { SignInThrottleRepository } from './sign-in-throttle-repository.js';
import type { StoreEngine, StoreSchema } from './store-schema.js';
import { UserRepository } from './user-repository.js';

export interface StoreRepositories {
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly apiRequests: ApiRequestRepository;
  readonly errors: ErrorLogRepository;
  readonly connections: ConnectionHistoryRepository;
  readonly dailyCounts: DailyCountRepository;
  readonly signInThrottle: SignInThrottleRepository;
  readonly secrets: SecretRepository;
  readonly alertRules: AlertRuleRepository;
  readonly alertHistory: AlertHistoryRepository;
  readonly agentAudit: AgentAuditRepository;
}

export function createRepositories(db: Kysely<StoreSchema>, engine: StoreEngine): StoreRepositories {
  return {
    users: new UserRepository(db, engine),
    sessions: new SessionRepository(db),
    apiKeys: new ApiKeyRepository(db),
    apiRequests: new ApiRequestRepository(db),
    errors: new ErrorLogRepository(db),
    connections: new ConnectionHistoryRepository(db),
    dailyCounts: new DailyCountRepository(db),
    signInThrottle: new SignInThrottleRepository(db, engine),
    secrets: new SecretRepository(db),
    alertRules: new AlertRuleRepository(db),
    alertHistory: new AlertHistoryRepository(db),
    agentAudit: new AgentAuditRepository(db),
  };
}
