// Builds the auth services over one store, for the composition root and
// tests alike (no module-level instances).
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Store } from '../store/store.js';
import { ApiKeyService } from './api-key-service.js';
import { PasswordHasher, PRODUCTION_BCRYPT_COST, type PasswordHasherOptions } from './password-hasher.js';
import { SessionService } from './session-service.js';
import type { SignInGuard, SignInPolicies } from './sign-in-guard.js';
import { createSignInGuard } from './sign-in-guard-factory.js';
import { UserService } from './user-service.js';

export interface AuthServicesOptions {
  clock: Clock;
  logger: Logger;
  /** bcrypt cost; default 12. Tests pass 4. */
  bcryptCost?: number;
  signIn?: SignInPolicies;
  hasher?: PasswordHasherOptions;
  sessions?: { idleTtlMs?: number; absoluteTtlMs?: number; touchIntervalMs?: number };
}

export interface AuthServices {
  apiKeys: ApiKeyService;
  sessions: SessionService;
  users: UserService;
  hasher: PasswordHasher;
  guard: SignInGuard;
}

export function createAuthServices(
  store: Pick<Store, 'apiKeys' | 'sessions' | 'users' | 'signInThrottle' | 'secrets'>,
  opts: AuthServicesOptions,
): AuthServices {
  const logger = opts.logger.child({ component: 'auth' });
  const hasher = new PasswordHasher(opts.bcryptCost ?? PRODUCTION_BCRYPT_COST, opts.hasher);
  const guard = createSignInGuard(store, { clock: opts.clock, ...(opts.signIn ? { policies: opts.signIn } : {}) });
  const sessions = new SessionService(store.sessions, { clock: opts.clock, logger, ...opts.sessions });
  const users = new UserService({ users: store.users, sessions, hasher, guard, clock: opts.clock, logger });
  const apiKeys = new ApiKeyService(store.apiKeys, { clock: opts.clock, logger });
  return { apiKeys, sessions, users, hasher, guard };
}
