// Builds the auth services over one store, for the composition root and
// tests alike (no module-level instances).
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import { ApiKeyService } from './api-key-service.js';
import { LoginThrottle } from './login-throttle.js';
import type { LoginThrottleOptions } from './login-throttle.js';
import { PasswordHasher, PRODUCTION_BCRYPT_COST } from './password-hasher.js';
import { SessionService } from './session-service.js';
import { UserService } from './user-service.js';

export interface AuthServicesOptions {
  clock: Clock;
  logger: Logger;
  /** bcrypt cost; default 12. Tests pass 4. */
  bcryptCost?: number;
  throttle?: LoginThrottleOptions;
  sessions?: { idleTtlMs?: number; absoluteTtlMs?: number; touchIntervalMs?: number };
}

export interface AuthServices {
  apiKeys: ApiKeyService;
  sessions: SessionService;
  users: UserService;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
}

export function createAuthServices(store: Pick<Store, 'apiKeys' | 'sessions' | 'users'>, opts: AuthServicesOptions): AuthServices {
  const logger = opts.logger.child({ component: 'auth' });
  const hasher = new PasswordHasher(opts.bcryptCost ?? PRODUCTION_BCRYPT_COST);
  const throttle = new LoginThrottle(opts.throttle);
  const sessions = new SessionService(store.sessions, { clock: opts.clock, logger, ...opts.sessions });
  const users = new UserService({ users: store.users, sessions, hasher, throttle, clock: opts.clock, logger });
  const apiKeys = new ApiKeyService(store.apiKeys, { clock: opts.clock, logger });
  return { apiKeys, sessions, users, hasher, throttle };
}
