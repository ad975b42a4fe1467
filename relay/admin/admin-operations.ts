// Every admin operation, implemented once over the relay's services. The
// admin HTTP routes use it acting as the signed-in user (role-checked here,
// so no route can forget a check); the desktop IPC uses it acting as the
// local admin. Inputs are validated at each edge (HTTP routes, IPC handlers)
// with the contract's zod schemas before they arrive here.
import type { AdminOperationName, AdminOperations } from '../contract/admin-operations.js';
import type {
  AdminUser, AdminUserInfo, ApiKeyInfo, ComponentName, ConnectionsView, CreatedApiKey, ErrorEntry, ErrorQuery,
  Health, Permission, Role, Stats,
} from '../contract/api-types.js';
import { RelayError } from '../core/relay-error.js';
import type { ActiveCallsService } from '../calls/active-calls-service.js';
import { cdrPage } from '../calls/cdr-queries.js';
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
  users: {
    list(): Promise<AdminUserInfo[]>;
    create(username: string, password: string, role: Role): Promise<unknown>;
    remove(username: string): Promise<void>;
    setPassword(username: string, password: string): Promise<void>;
  };
}

/** Operations a viewer may not perform (setPassword: only on someone else). */
export const ADMIN_ONLY_OPERATIONS: ReadonlySet<AdminOperationName> = new Set<AdminOperationName>([
  'reconnect', 'dropCall', 'listApiKeys', 'createApiKey', 'revokeApiKey', 'listUsers', 'createUser', 'removeUser',
]);

export function createAdminOperations(services: AdminServices, actor: AdminActor): AdminOperations {
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
    setPassword: async (username: string, password: string) => {
      if (username !== user.username) requireAdmin('setPassword');
      await services.users.setPassword(username, password);
    },
    cdrPage: (query) => cdrPage(services.cdr(), query),
  };
}
