// The relay's lifecycle shell. start() builds one running record from the
// factories (store, auth, error feed, upstream clients with their monitor and
// live-call bridge, admin services, HTTP + WebSocket server); stop() takes it
// apart within the budget; reconfigure() swaps its upstream part. The
// headless CLI and the Electron main process both call createRelayService.
import type { AdminOperations } from './contract/admin-operations.js';
import { ADMIN_OPERATION_NAMES } from './contract/admin-operations.js';
import type { ErrorEntry, Health } from './contract/api-types.js';
import { cdrRangeQuery } from './contract/schemas.js';
import { systemClock } from './core/clock.js';
import { passwordInUrl } from './core/redact.js';
import { describeError } from './core/relay-error.js';
import { createAdminOperations, type AdminActor, type AdminServices } from './admin/admin-operations.js';
import { createAdminSessions } from './admin/admin-sessions.js';
import { createAdminServices } from './admin/create-admin-services.js';
import { createAuthServices, type AuthServices } from './auth/auth-services.js';
import { ActiveCallsService } from './calls/active-calls-service.js';
import { CallCounter } from './calls/call-counter.js';
import { exportCdrCsv as streamCdrCsv } from './calls/cdr-csv-export.js';
import { requireCdr, toRange } from './calls/cdr-queries.js';
import { findDashboardDir, findPackageRoot } from './config/package-root.js';
import type { DemoEnvironment } from './demo/demo-environment.js';
import { EventHub } from './events/event-hub.js';
import { startRelayServer, type RelayServer } from './http/relay-server.js';
import { parseInput } from './http/validate.js';
import { TicketStore } from './http/ws/ticket-store.js';
import { unwatchedHealth } from './monitor/connection-monitor.js';
import { ErrorTracker } from './monitor/error-tracker.js';
import { createWatchedUpstreams, type WatchedUpstreams } from './monitor/watched-upstreams.js';
import { openStoreLifetime, type StoreLifetime } from './store/relay-store-lifetime.js';
import type { RelayConfig, RelayService, RelayServiceDeps, RelayStartResult } from './service-types.js';

export type {
  CdrConfig, CsvExportProgress, PbxConfig, RelayConfig, RelayService, RelayServiceDeps, RelayStartResult, RelayTuning,
} from './service-types.js';

const STOP_BUDGET_MS = 4_000;

/** What start() built. Immutable, except the upstream slot reconfigure() refills. */
interface Running {
  readonly demo: DemoEnvironment | null;
  readonly store: StoreLifetime;
  readonly auth: AuthServices;
  readonly errors: ErrorTracker;
  /** Lives across reconfigures, so a call still up is not counted twice. */
  readonly counter: CallCounter;
  readonly upstream: { current: WatchedUpstreams };
  readonly admin: AdminServices;
  readonly server: RelayServer;
  readonly seeding: Promise<unknown>;
}

export function createRelayService(initialConfig: RelayConfig, deps: RelayServiceDeps): RelayService {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child({ component: 'relay' });
  let config: RelayConfig = { ...initialConfig };
  const tuning = config.tuning ?? {};
  // Outlive a start: frame and error listeners may subscribe before it.
  const hub = new EventHub({ clock, logger, ...(tuning.replayCapacity ? { capacity: tuning.replayCapacity } : {}) });
  const errorListeners = new Set<(entry: ErrorEntry, isNew: boolean) => void>();
  const startedAt = clock.now();
  let running: Running | null = null;
  let started: Promise<RelayStartResult> | null = null;
  let stopping: Promise<void> | null = null;

  const current = (): Running => {
    if (!running) throw new Error('relay service not started');
    return running;
  };
  const health = (): Health => running?.upstream.current.monitor.health() ?? unwatchedHealth(config.version, startedAt, clock.now());
  const secrets = (): string[] => [
    config.pbx?.clientSecret, passwordInUrl('url' in (config.cdr ?? {}) ? (config.cdr as { url: string }).url : undefined),
    passwordInUrl(config.storeUrl), config.adminPassword,
  ].filter((s): s is string => !!s && s.length >= 4);
  /** Operations that reach whatever record is running when called. */
  const opsFor = (actor: AdminActor): AdminOperations => Object.fromEntries(ADMIN_OPERATION_NAMES.map((op) => [op,
    async (...args: unknown[]) => (createAdminOperations(current().admin, actor)[op] as (...a: unknown[]) => Promise<unknown>)(...args),
  ])) as unknown as AdminOperations;

  const watchUpstreams = (store: StoreLifetime, errors: ErrorTracker, counter: CallCounter): WatchedUpstreams =>
    createWatchedUpstreams({ pbx: config.pbx ?? null, cdr: config.cdr ?? null }, {
      hub, history: store.store.connections, errors, liveObserver: counter, version: config.version, clock, logger,
      tuning: { ...(tuning.upstream ? { upstream: tuning.upstream } : {}), ...(tuning.monitor ? { monitor: tuning.monitor } : {}) },
    });
  // The demo's call-record engine boots for a few seconds: connect after it.
  const launch = (r: Pick<Running, 'demo' | 'upstream'>, u: WatchedUpstreams) =>
    void u.launch(r.demo?.ready ?? Promise.resolve(), () => !stopping && r.upstream.current === u);

  async function doStart(draft: { -readonly [K in keyof Running]?: Running[K] }): Promise<RelayStartResult> {
    if (config.demo) {
      const { startDemoEnvironment } = await import('./demo/demo-environment.js');
      draft.demo = await startDemoEnvironment({
        logger,
        ...(tuning.demoCallsPerMinute !== undefined ? { callsPerMinute: tuning.demoCallsPerMinute } : {}),
        ...(tuning.demoHistoryRows !== undefined ? { historyRows: tuning.demoHistoryRows } : {}),
      });
      config = { ...config, pbx: draft.demo.pbx, cdr: draft.demo.cdr };
    }
    const store = draft.store = await openStoreLifetime({
      storeUrl: config.storeUrl, dataDir: config.dataDir, clock, logger, ...(tuning.flushIntervalMs ? { flushIntervalMs: tuning.flushIntervalMs } : {}),
    });
    const auth = draft.auth = createAuthServices(store.store, {
      clock, logger, ...(tuning.bcryptCost !== undefined ? { bcryptCost: tuning.bcryptCost } : {}), ...(tuning.loginThrottle ? { throttle: tuning.loginThrottle } : {}),
    });
    const bootstrap = await auth.users.bootstrapAdmin(config.adminPassword);
    const errors = draft.errors = new ErrorTracker({ store: store.store.errors, hub, clock, logger, secrets });
    errors.on('logged', (entry, isNew) => {
      for (const listener of errorListeners) listener(entry, isNew);
    });
    const counter = draft.counter = new CallCounter(store.store.requestLog, clock);
    const upstream = draft.upstream = { current: watchUpstreams(store, errors, counter) };
    const ups = () => upstream.current.upstreams;
    const calls = new ActiveCallsService({ upstreams: () => ({ xapi: ups().xapi, callcontrol: ups().callControl }), clock });
    const admin = draft.admin = createAdminServices({
      clock, store: store.store, auth, errors, calls, health, upstream: () => ({ monitor: upstream.current.monitor, cdr: ups().cdr }),
    });
    const tickets = new TicketStore({ clock });
    const dashboardDir = config.dashboardDir ?? findDashboardDir([...new Set([findPackageRoot(import.meta.url), process.cwd()])]);
    const server = draft.server = await startRelayServer({
      host: config.host, port: config.port, allowedHostNames: config.allowedHostNames, allowedOrigins: config.allowedOrigins, clock,
      app: {
        logger, health, apiKeys: auth.apiKeys, sessions: createAdminSessions(auth), calls, cdr: () => ups().cdr, tickets,
        adminAs: (user) => createAdminOperations(admin, { kind: 'user', user }),
        requestLog: store.store.requestLog,
        reportUnexpected: (e, ctx) => void errors.record({ component: 'api', severity: 'error', message: `unexpected failure in ${ctx.method} ${ctx.path}: ${describeError(e)}` }),
        ...(tuning.rateLimit ? { rateLimit: tuning.rateLimit } : {}),
        ...(dashboardDir ? { dashboard: { dir: dashboardDir } } : {}),
        now: () => clock.now(),
      },
      ws: { hub, keys: auth.apiKeys, sessions: auth.sessions, tickets, components: () => health().components, logger, clock, options: { ...tuning.websocket } },
    });
    const demo = draft.demo ?? null;
    const seeding = draft.seeding = demo?.seedHistory(clock.now()).then(
      (r) => logger.info('demo call history generated', { rows: r.rows }),
      (e) => logger.warn('demo call history generation failed', { error: describeError(e) }),
    ) ?? Promise.resolve();
    running = Object.freeze({ demo, store, auth, errors, counter, upstream, admin, server, seeding });
    launch(running, upstream.current);
    logger.info('relay listening', { url: server.url, dashboard: dashboardDir ?? null, store: store.store.engine });
    return {
      url: server.url,
      ...(bootstrap.created && bootstrap.generatedPassword ? { bootstrapPassword: bootstrap.generatedPassword } : {}),
      ...(demo ? { simulatorUrl: demo.simulator.url } : {}),
    };
  }

  /** Takes apart a running record, or what a failed start got to build. */
  async function doStop(r: Partial<Running>): Promise<void> {
    const deadline = clock.now() + STOP_BUDGET_MS;
    let mark = clock.now();
    const step = (name: string) => {
      logger.debug('stop step done', { step: name, ms: clock.now() - mark });
      mark = clock.now();
    };
    await r.server?.close(deadline, step);
    // After the server closed: no login can still be waiting on the worker.
    await r.auth?.hasher.stop();
    step('http');
    await r.upstream?.current.stop();
    step('upstreams');
    // Stopping the demo cuts its history seeder short; then its promise settles.
    await r.demo?.stop();
    await r.seeding;
    step('demo');
    await r.errors?.drain();
    hub.close();
    await r.store?.close();
    step('store');
    running = null;
    logger.info('relay stopped');
  }

  return {
    start() {
      const draft = {};
      started ??= doStart(draft).catch(async (e) => {
        // Leave nothing half-open behind a failed start.
        await doStop(draft).catch(() => {});
        throw e;
      });
      return started;
    },
    stop() {
      if (!started) return Promise.resolve();
      stopping ??= started.then(() => doStop(current()), () => undefined);
      return stopping;
    },
    admin: opsFor({ kind: 'local' }),
    adminAs: (user) => opsFor({ kind: 'user', user }),
    async exportCdrCsv(range, out, onProgress) {
      const q = parseInput(cdrRangeQuery, range, 'query');
      return streamCdrCsv(requireCdr(running?.upstream.current.upstreams.cdr), toRange(q), out, onProgress ? { onProgress } : {});
    },
    onFrame: (listener) => hub.subscribe(listener),
    onError(listener) {
      // Wrapped so the same function added twice gets two independent handles.
      const entry = (e: ErrorEntry, isNew: boolean) => listener(e, isNew);
      errorListeners.add(entry);
      return () => void errorListeners.delete(entry);
    },
    health,
    async reconfigure(partial) {
      config = { ...config, ...partial };
      const r = running;
      if (!r || stopping) return;
      const next = watchUpstreams(r.store, r.errors, r.counter);
      await r.upstream.current.stop();
      r.upstream.current = next;
      launch(r, next);
    },
  };
}
