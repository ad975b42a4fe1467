// The relay's lifecycle shell, over one running record (running-relay.ts) or
// none: start() builds it once, stop() takes it apart once, reconfigure()
// swaps its upstream part. What outlives a start stays here: the
// configuration, the event hub and the error listeners the desktop shell
// subscribes. The headless CLI and the Electron main process both call
// createRelayService.
import type { AdminOperations } from './contract/admin-operations.js';
import { ADMIN_OPERATION_NAMES } from './contract/admin-operations.js';
import type { ErrorEntry, Health } from './contract/api-types.js';
import type { AlertEntry } from './contract/supervisor-types.js';
import { cdrRangeQuery } from './contract/schemas.js';
import { systemClock } from './core/clock.js';
import { passwordInUrl } from './core/redact.js';
import { RelayError } from './core/relay-error.js';
import { createAdminOperations, type AdminActor } from './admin/admin-operations.js';
import { exportCdrCsv as streamCdrCsv } from './call-records/cdr-csv-export.js';
import { requireCdr, toRange } from './call-records/cdr-queries.js';
import { EventHub } from './events/event-hub.js';
import { parseInput } from './http/validate.js';
import { unwatchedHealth } from './monitor/connection-monitor.js';
import { testUpstreamConnections } from './pbx/connection-test.js';
import { isTeamClient, leaderPbxResults } from './team/follower-connection-test.js';
import { startRunningRelay, stopRunningRelay, swapUpstreams, type RelayRuntime, type RunningRelay } from './running-relay.js';
import type { RelayConfig, RelayService, RelayServiceDeps, RelayStartResult } from './service-types.js';

export type {
  CdrConfig, CsvExportProgress, PbxConfig, RelayConfig, RelayService, RelayServiceDeps, RelayStartResult, RelayTuning,
} from './service-types.js';

export function createRelayService(initialConfig: RelayConfig, deps: RelayServiceDeps): RelayService {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child({ component: 'relay' });
  const config = { current: { ...initialConfig } };
  const tuning = config.current.tuning ?? {};
  const errorListeners = new Set<(entry: ErrorEntry, isNew: boolean) => void>();
  const alertListeners = new Set<(entry: AlertEntry) => void>();
  const startedAt = clock.now();
  let running: RunningRelay | null = null;
  let started: Promise<RelayStartResult> | null = null;
  let stopping: Promise<void> | null = null;

  const runtime: RelayRuntime = {
    config,
    clock,
    logger,
    hub: new EventHub({ clock, logger, ...(tuning.replayCapacity ? { capacity: tuning.replayCapacity } : {}) }),
    secrets: () => {
      const c = config.current;
      return [
        c.pbx?.clientSecret, passwordInUrl('url' in (c.cdr ?? {}) ? (c.cdr as { url: string }).url : undefined),
        passwordInUrl(c.storeUrl), c.adminPassword,
      ].filter((s): s is string => !!s && s.length >= 4);
    },
    errorLogged: (entry, isNew) => {
      for (const listener of errorListeners) listener(entry, isNew);
    },
    alertRaised: (entry) => {
      for (const listener of alertListeners) listener(entry);
    },
    stillWanted: () => !stopping,
  };

  const current = (): RunningRelay => {
    if (!running) throw new Error('relay service not started');
    return running;
  };
  const health = (): Health =>
    running?.health() ?? unwatchedHealth(config.current.version, startedAt, clock.now());
  /** Operations that reach the record running when they are called. */
  const opsFor = (actor: AdminActor): AdminOperations => Object.fromEntries(ADMIN_OPERATION_NAMES.map((op) => [op,
    async (...args: unknown[]) => (createAdminOperations(current().admin, actor)[op] as (...a: unknown[]) => Promise<unknown>)(...args),
  ])) as unknown as AdminOperations;

  return {
    start() {
      started ??= startRunningRelay(runtime).then((r) => {
        running = r;
        return r.result;
      });
      return started;
    },
    stop() {
      if (!started) return Promise.resolve();
      stopping ??= started.then(async () => {
        await stopRunningRelay(runtime, current());
        running = null;
      }, () => undefined);
      return stopping;
    },
    admin: opsFor({ kind: 'local' }),
    adminAs: (user) => opsFor({ kind: 'user', user }),
    async exportCdrCsv(range, out, onProgress) {
      const q = parseInput(cdrRangeQuery, range, 'query');
      return streamCdrCsv(requireCdr(running?.upstream.current.upstreams.cdr), toRange(q), out, onProgress ? { onProgress } : {});
    },
    onFrame: (listener) => runtime.hub.subscribe(listener),
    onError(listener) {
      // Wrapped so the same function added twice gets two independent handles.
      const entry = (e: ErrorEntry, isNew: boolean) => listener(e, isNew);
      errorListeners.add(entry);
      return () => void errorListeners.delete(entry);
    },
    onAlert(listener) {
      const entry = (e: AlertEntry) => listener(e);
      alertListeners.add(entry);
      return () => void alertListeners.delete(entry);
    },
    health,
    async testConnection(candidate) {
      const deps = {
        logger, clock,
        running: () => (running && !stopping ? { pbx: config.current.pbx ?? null, upstreams: running.upstream.current.upstreams } : null),
        ...(tuning.upstream ? { tuning: tuning.upstream } : {}),
      };
      // A team follower must not fetch a token for the leader's client id (it would revoke the leader's).
      if (running?.team?.following() && isTeamClient(candidate.pbx, config.current.pbx ?? null)) {
        const tested = await testUpstreamConnections({ pbx: null, cdr: candidate.cdr }, deps);
        return [...leaderPbxResults(running.health()), ...tested.filter((r) => r.component === 'database')];
      }
      return testUpstreamConnections(candidate, deps);
    },
    async reconfigure(partial) {
      // A team is one PBX and client id (its lock key); another one would be a second token holder.
      const was = config.current.pbx;
      if (running?.team && partial.pbx && (partial.pbx.baseUrl !== was?.baseUrl || partial.pbx.clientId !== was?.clientId)) {
        throw RelayError.conflict('in team mode the PBX URL and client id are the team\'s: restart every member with the new settings');
      }
      config.current = { ...config.current, ...partial };
      if (running && !stopping) await swapUpstreams(runtime, running);
    },
  };
}
