// The relay's one composition root: builds store, auth, upstream clients,
// monitor, event hub, HTTP + WebSocket server from one config. The headless
// CLI and the Electron main process both call createRelayService.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ErrorEntry, Health } from './contract/api-types.js';
import { COMPONENTS } from './contract/api-types.js';
import { cdrRangeQuery } from './contract/schemas.js';
import { systemClock } from './core/clock.js';
import { passwordInUrl } from './core/redact.js';
import { describeError } from './core/relay-error.js';
import { ActiveCallsService } from './calls/active-calls-service.js';
import { CallCounter } from './calls/call-counter.js';
import { exportCdrCsv as streamCdrCsv } from './calls/cdr-csv-export.js';
import { requireCdr, toRange } from './calls/cdr-queries.js';
import { createAdminOperations, type AdminActor, type AdminServices } from './admin/admin-operations.js';
import { createAdminSessions } from './admin/admin-sessions.js';
import { CdrCallVolume } from './admin/cdr-call-volume.js';
import { collectStats } from './admin/stats-service.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { SessionService } from './auth/session-service.js';
import { UserService } from './auth/user-service.js';
import { EventHub } from './events/event-hub.js';
import { createHttpApp } from './http/app.js';
import type { RequestPolicyOptions } from './http/security/request-policy.js';
import { parseInput } from './http/validate.js';
import { attachRelayWebSocket, CLOSE_CREDENTIALS_REVOKED, type RelayWebSocketServer } from './http/ws/relay-websocket.js';
import { TicketStore, type WsPrincipal } from './http/ws/ticket-store.js';
import { ConnectionMonitor, relayStatus } from './monitor/connection-monitor.js';
import { ErrorTracker } from './monitor/error-tracker.js';
import { findDashboardDir, findPackageRoot } from './config/package-root.js';
import { createUpstreams, stopUpstreams, type Upstreams } from './pbx/create-upstreams.js';
import { pbxHealth } from './pbx/pbx-health.js';
import { openStore, type Store } from './store/store.js';
import type { DemoEnvironment } from './demo/demo-environment.js';
import type { RelayConfig, RelayService, RelayServiceDeps, RelayStartResult } from './service-types.js';

export type {
  CdrConfig, CsvExportProgress, PbxConfig, RelayConfig, RelayService, RelayServiceDeps, RelayStartResult, RelayTuning,
} from './service-types.js';

const STOP_BUDGET_MS = 4_000;
const PRUNE_INTERVAL_MS = 3_600_000;

/** renderer/dist of this package (or of the working directory), when it was built. */
function defaultDashboardDir(): string | undefined {
  return findDashboardDir([...new Set([findPackageRoot(import.meta.url), process.cwd()])]);
}


function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function createRelayService(initialConfig: RelayConfig, deps: RelayServiceDeps): RelayService {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child({ component: 'relay' });
  let config: RelayConfig = { ...initialConfig };
  const tuning = config.tuning ?? {};

  const hub = new EventHub({ clock, logger, ...(tuning.replayCapacity ? { capacity: tuning.replayCapacity } : {}) });
  const tickets = new TicketStore({ clock });
  const errorListeners = new Set<(entry: ErrorEntry, isNew: boolean) => void>();

  // Built in start(); null before and after.
  let store: Store | null = null;
  let users: UserService | null = null;
  let hasher: PasswordHasher | null = null;
  let apiKeys: ApiKeyService | null = null;
  let errors: ErrorTracker | null = null;
  let upstreams: Upstreams | null = null;
  let monitor: ConnectionMonitor | null = null;
  let monitorStarting: Promise<void> = Promise.resolve();
  let server: http.Server | null = null;
  let ws: RelayWebSocketServer | null = null;
  let callCounter: CallCounter | null = null;
  let demo: DemoEnvironment | null = null;
  let demoSeeding: Promise<unknown> = Promise.resolve();
  let tempDataDir: string | null = null;
  let pruneTimer: { cancel(): void } | null = null;
  let listeningPort = config.port;
  let started: Promise<RelayStartResult> | null = null;
  let stopping: Promise<void> | null = null;
  const startedAt = clock.now();

  const secrets = (): string[] => [
    config.pbx?.clientSecret, passwordInUrl('url' in (config.cdr ?? {}) ? (config.cdr as { url: string }).url : undefined),
    passwordInUrl(config.storeUrl), config.adminPassword,
  ].filter((s): s is string => !!s && s.length >= 4);

  const need = <T>(v: T | null, what: string): T => {
    if (v === null) throw new Error(`relay service not started (${what})`);
    return v;
  };

  // [live] XAPI is the live list's source; Call Control's changes trigger a refresh (see active-calls-service.ts).
  const calls = new ActiveCallsService({
    upstreams: () => (upstreams ? { xapi: upstreams.xapi, callcontrol: upstreams.callControl } : {}),
    clock,
    publish: (value) => hub.publish({ type: 'calls', value }),
  });

  const callVolume = new CdrCallVolume({ cdr: () => upstreams?.cdr, clock });

  const closeAdminSockets = (match: (p: WsPrincipal) => boolean): void => {
    tickets.revokeWhere(match);
    ws?.closeWhere(match, CLOSE_CREDENTIALS_REVOKED, 'session ended');
  };

  const services: AdminServices = {
    health: () => health(),
    stats: () => collectStats({
      clock,
      uptimeS: () => health().uptimeS,
      activeCallCount: async () => (await calls.list()).value.length,
      dayCount: async (name, day) => (await need(store, 'store').dailyCounts.get(name, day)) + need(store, 'store').requestLog.pendingCount(name, day),
      requestsPerKey: (since) => need(store, 'store').apiRequests.perKey(since),
      errorSummary: () => need(errors, 'errors').summary(),
      cdrCallVolume: () => callVolume.get(),
    }),
    connections: () => need(monitor, 'monitor').connections(),
    reconnect: (component) => need(monitor, 'monitor').reconnect(component),
    calls,
    cdr: () => upstreams?.cdr,
    errors: {
      list: (q) => need(errors, 'errors').list(q),
      acknowledge: (id, by) => need(errors, 'errors').acknowledge(id, by),
    },
    apiKeys: {
      list: () => need(apiKeys, 'keys').list(),
      create: (name, perms, by) => need(apiKeys, 'keys').create(name, perms, by),
      revoke: (id) => need(apiKeys, 'keys').revoke(id),
    },
    users: {
      list: () => need(users, 'users').list(),
      create: (u, p, r) => need(users, 'users').create(u, p, r),
      remove: (u) => need(users, 'users').remove(u),
      setPassword: (u, p) => need(users, 'users').setPassword(u, p),
    },
    userSignedOut: (username) => closeAdminSockets((p) => p.kind === 'admin' && p.username === username),
  };
  const opsFor = (actor: AdminActor) => createAdminOperations(services, actor);
  const localAdmin = opsFor({ kind: 'local' });

  function health(): Health {
    if (monitor) return { ...monitor.health(), ...pbxHealth(upstreams) }; // [live]
    const since = new Date(startedAt).toISOString();
    const components = Object.fromEntries(COMPONENTS.map((c) => [c, { state: 'unconfigured', latencyMs: null, lastError: null, since }])) as Health['components'];
    return { status: relayStatus(Object.values(components)), version: config.version, uptimeS: Math.floor((clock.now() - startedAt) / 1000), components };
  }

  const reportUnexpected = (e: unknown, ctx: { method: string; path: string }) => {
    void errors?.record({ component: 'api', severity: 'error', message: `unexpected failure in ${ctx.method} ${ctx.path}: ${describeError(e)}` });
  };

  function buildUpstreams(): { upstreams: Upstreams; monitor: ConnectionMonitor } {
    const u = createUpstreams({ pbx: config.pbx ?? null, cdr: config.cdr ?? null }, { logger, clock, ...(tuning.upstream ? { tuning: tuning.upstream } : {}) });
    const m = new ConnectionMonitor({
      components: { xapi: u.xapi, callcontrol: u.callControl, database: u.cdr },
      history: need(store, 'store').connections,
      errors: need(errors, 'errors'),
      hub,
      version: config.version,
      callsChanged: (value) => calls.callControlChanged(value), // [live]
      clock,
      logger,
      ...(tuning.monitor ? { options: tuning.monitor } : {}),
    });
    return { upstreams: u, monitor: m };
  }

  function startMonitor(m: ConnectionMonitor): void {
    // Not awaited by start(): a slow or unreachable PBX must not delay
    // `relay listening`; the components report their state meanwhile. The
    // demo's call-record engine boots for a few seconds: connect after it.
    const after = demo ? demo.ready : Promise.resolve();
    monitorStarting = after
      .then(() => (stopping || m !== monitor ? undefined : m.start()))
      .catch((e) => logger.error('upstream start failed', { error: describeError(e) }));
  }

  async function doStart(): Promise<RelayStartResult> {
    if (config.demo) {
      const { startDemoEnvironment } = await import('./demo/demo-environment.js');
      demo = await startDemoEnvironment({
        logger,
        ...(tuning.demoCallsPerMinute !== undefined ? { callsPerMinute: tuning.demoCallsPerMinute } : {}),
        ...(tuning.demoHistoryRows !== undefined ? { historyRows: tuning.demoHistoryRows } : {}),
      });
      config = { ...config, pbx: demo.pbx, cdr: demo.cdr };
    }
    if (!config.storeUrl && !config.dataDir) tempDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-store-'));
    store = await openStore(
      config.storeUrl ? { url: config.storeUrl } : { dataDir: config.dataDir ?? tempDataDir! },
      logger,
      { clock, ...(tuning.flushIntervalMs ? { flushIntervalMs: tuning.flushIntervalMs } : {}) },
    );
    const sessions = new SessionService(store.sessions, { clock, logger });
    hasher = new PasswordHasher(tuning.bcryptCost);
    users = new UserService({
      users: store.users,
      sessions,
      hasher,
      throttle: new LoginThrottle(tuning.loginThrottle),
      clock,
      logger,
    });
    apiKeys = new ApiKeyService(store.apiKeys, { clock, logger });
    const bootstrap = await users.bootstrapAdmin(config.adminPassword);
    errors = new ErrorTracker({ store: store.errors, hub, clock, logger, secrets });
    errors.on('logged', (entry, isNew) => {
      for (const listener of errorListeners) listener(entry, isNew);
    });
    ({ upstreams, monitor } = buildUpstreams());
    callCounter = new CallCounter(hub, store.requestLog, clock);
    callCounter.start();

    const policy: RequestPolicyOptions = {
      port: () => listeningPort,
      extraHostNames: config.allowedHostNames,
      allowedOrigins: config.allowedOrigins,
    };
    const dashboardDir = config.dashboardDir ?? defaultDashboardDir();
    const keyService = apiKeys;
    const httpApp = createHttpApp({
      logger,
      policy,
      health,
      apiKeys: keyService,
      sessions: createAdminSessions({
        users,
        sessions,
        sessionEnded: (id) => closeAdminSockets((p) => p.kind === 'admin' && p.sessionId === id),
      }),
      adminAs: (user) => opsFor({ kind: 'user', user }),
      calls,
      cdr: () => upstreams?.cdr,
      tickets,
      requestLog: store.requestLog,
      reportUnexpected,
      ...(tuning.rateLimit ? { rateLimit: tuning.rateLimit } : {}),
      ...(dashboardDir ? { dashboard: { dir: dashboardDir } } : {}),
      now: () => clock.now(),
    });
    server = http.createServer(httpApp);
    server.keepAliveTimeout = 5_000;
    ws = attachRelayWebSocket(server, {
      hub,
      keys: keyService,
      tickets,
      components: () => health().components,
      logger,
      clock,
      options: { ...tuning.websocket, policy },
    });
    const srv = server;
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(config.port, config.host, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    listeningPort = (srv.address() as AddressInfo).port;
    startMonitor(monitor);
    const schedulePrune = () => {
      pruneTimer = clock.setTimeout(() => {
        void store?.prune().catch((e) => logger.warn('store retention failed', { error: describeError(e) }))
          .finally(() => { if (pruneTimer) schedulePrune(); });
      }, PRUNE_INTERVAL_MS);
    };
    schedulePrune();
    if (demo) {
      const d = demo;
      demoSeeding = d.seedHistory(clock.now()).then(
        (r) => logger.info('demo call history generated', { rows: r.rows }),
        (e) => logger.warn('demo call history generation failed', { error: describeError(e) }),
      );
    }
    const url = `http://${formatHost(config.host)}:${listeningPort}`;
    logger.info('relay listening', { url, dashboard: dashboardDir ?? null, store: store.engine });
    return {
      url,
      ...(bootstrap.created && bootstrap.generatedPassword ? { bootstrapPassword: bootstrap.generatedPassword } : {}),
      ...(demo ? { simulatorUrl: demo.simulator.url } : {}),
    };
  }

  async function doStop(): Promise<void> {
    const deadline = clock.now() + STOP_BUDGET_MS;
    let mark = clock.now();
    const step = (name: string) => {
      const now = clock.now();
      logger.debug('stop step done', { step: name, ms: now - mark });
      mark = now;
    };
    pruneTimer?.cancel();
    pruneTimer = null;
    const srv = server;
    const httpClosed = srv
      ? new Promise<void>((resolve) => {
          srv.close(() => resolve());
          srv.closeIdleConnections();
        })
      : Promise.resolve();
    await ws?.close();
    step('websockets');
    // In-flight requests get until the budget; stragglers (a stuck export) are cut.
    const force = clock.setTimeout(() => srv?.closeAllConnections(), Math.max(0, deadline - clock.now() - 1_000));
    await httpClosed;
    force.cancel();
    // After the server closed: no login can still be waiting on the worker.
    await hasher?.stop();
    hasher = null;
    step('http');
    callCounter?.stop();
    calls.close(); // [live]
    await monitorStarting;
    await monitor?.stop();
    if (upstreams) await stopUpstreams(upstreams);
    step('upstreams');
    // Stopping the demo cuts its history seeder short; then its promise settles.
    await demo?.stop();
    await demoSeeding;
    step('demo');
    await errors?.drain();
    hub.close();
    await store?.close();
    step('store');
    if (tempDataDir) fs.rmSync(tempDataDir, { recursive: true, force: true });
    server = null;
    ws = null;
    monitor = null;
    logger.info('relay stopped');
  }

  return {
    start() {
      started ??= doStart().catch(async (e) => {
        // Leave nothing half-open behind a failed start.
        await doStop().catch(() => {});
        throw e;
      });
      return started;
    },
    stop() {
      if (!started) return Promise.resolve();
      stopping ??= started.then(() => doStop(), () => undefined);
      return stopping;
    },
    admin: localAdmin,
    adminAs: (user) => opsFor({ kind: 'user', user }),
    async exportCdrCsv(range, out, onProgress) {
      const q = parseInput(cdrRangeQuery, range, 'query');
      return streamCdrCsv(requireCdr(upstreams?.cdr), toRange(q), out, onProgress ? { onProgress } : {});
    },
    onFrame(listener) {
      return hub.subscribe(listener);
    },
    onError(listener) {
      // Wrapped so the same function added twice gets two independent handles.
      const entry = (e: ErrorEntry, isNew: boolean) => listener(e, isNew);
      errorListeners.add(entry);
      return () => void errorListeners.delete(entry);
    },
    health,
    async reconfigure(partial) {
      config = { ...config, ...partial };
      if (!monitor || !upstreams || stopping) return;
      const next = buildUpstreams();
      const old = { upstreams, monitor };
      await monitorStarting;
      await old.monitor.stop();
      await stopUpstreams(old.upstreams);
      ({ upstreams, monitor } = next);
      startMonitor(monitor);
    },
  };
}
