// The services the admin operations run on (AdminServices), built from the
// running relay's parts. Built once per start; whatever reconfigure() swaps
// (the upstream clients and their monitor) is read through `upstream()` on
// every call, so an operation always reaches the current clients.
import type { Health } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { AlertService } from '../alerts/alert-service.js';
import type { AuthServices } from '../auth/auth-services.js';
import type { ActiveCallsService } from '../live-calls/active-calls-service.js';
import type { ErrorTracker } from '../monitor/error-tracker.js';
import type { ConnectionMonitor } from '../monitor/connection-monitor.js';
import type { CdrPort } from '../pbx/upstream.js';
import type { Store } from '../store/store.js';
import type { SupervisorService } from '../supervisor/supervisor-service.js';
import type { AdminServices } from './admin-operations.js';
import { CdrCallVolume } from '../call-records/cdr-call-volume.js';
import { collectStats } from './stats-service.js';

export interface AdminServiceParts {
  clock: Clock;
  store: Pick<Store, 'dailyCounts' | 'requestLog' | 'apiRequests' | 'agentAudit'>;
  auth: Pick<AuthServices, 'apiKeys' | 'users'>;
  errors: ErrorTracker;
  calls: ActiveCallsService;
  alerts: AlertService;
  supervisor: SupervisorService;
  health(): Health;
  /** The current upstream part: reconfigure() replaces it. */
  upstream(): { monitor: ConnectionMonitor; cdr: CdrPort };
}

export function createAdminServices(p: AdminServiceParts): AdminServices {
  const { store, auth, errors, calls, clock } = p;
  const callVolume = new CdrCallVolume({ cdr: () => p.upstream().cdr, clock });
  return {
    health: () => p.health(),
    stats: () => collectStats({
      clock,
      uptimeS: () => p.health().uptimeS,
      activeCallCount: async () => (await calls.list()).value.length,
      // Stored day counter plus what is buffered and not yet written.
      dayCount: async (name, day) => (await store.dailyCounts.get(name, day)) + store.requestLog.pendingCount(name, day),
      requestsPerKey: (since) => store.apiRequests.perKey(since),
      errorSummary: () => errors.summary(),
      cdrCallVolume: () => callVolume.get(),
    }),
    connections: () => p.upstream().monitor.connections(),
    reconnect: (component) => p.upstream().monitor.reconnect(component),
    calls,
    supervisor: {
      queues: () => p.supervisor.queues(),
      agents: () => p.supervisor.agents(),
      pbx: () => p.supervisor.pbx(),
      // Recorded once the PBX accepted it: the trail says what happened, not what was tried.
      setQueueStatus: async (extension, status, actor) => {
        await p.supervisor.setQueueStatus(extension, status);
        await store.agentAudit.record({ actor, extension, action: `queue_status:${status}` }, clock.now());
      },
    },
    cdr: () => p.upstream().cdr,
    errors: {
      list: (q) => errors.list(q),
      acknowledge: (id, by) => errors.acknowledge(id, by),
    },
    apiKeys: {
      list: () => auth.apiKeys.list(),
      create: (name, perms, by) => auth.apiKeys.create(name, perms, by),
      revoke: (id) => auth.apiKeys.revoke(id),
    },
    users: {
      list: () => auth.users.list(),
      create: (u, pw, r) => auth.users.create(u, pw, r),
      remove: (u) => auth.users.remove(u),
      setPassword: (u, pw) => auth.users.setPassword(u, pw),
      verifyPassword: (u, pw) => auth.users.verifyPassword(u, pw),
    },
    alerts: p.alerts,
  };
}
