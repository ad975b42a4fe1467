// The running relay as one record: start builds it from the factories —
// store, auth, error feed, the upstream part (clients, their monitor, the
// live-call bridge), admin services, HTTP + WebSocket server — in dependency
// order; stop takes it apart within the budget, server first, store last.
// Immutable except the upstream slot, which reconfigure refills. The
// lifecycle around it (start once, stop once, reconfigure) is service.ts.
import type { ErrorEntry, Health } from './contract/api-types.js';
import type { AlertEntry } from './contract/supervisor-types.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import { describeError } from './core/relay-error.js';
import { createAdminOperations, type AdminServices } from './admin/admin-operations.js';
import { createAdminSessions } from './admin/admin-sessions.js';
import { createAdminServices } from './admin/create-admin-services.js';
import { createRelayAlerts, type RelayAlerts } from './alerts/relay-alerts.js';
import { createAuthServices, type AuthServices } from './auth/auth-services.js';
import { ActiveCallsService } from './live-calls/active-calls-service.js';
import { CallCounter } from './live-calls/call-counter.js';
import { findDashboardDir, findPackageRoot } from './config/package-root.js';
import type { DemoEnvironment } from './demo/demo-environment.js';
import type { EventHub } from './events/event-hub.js';
import type { RequestHandler } from 'express';
import { startRelayServer, type RelayServer } from './http/relay-server.js';
import { TicketStore } from './http/ws/ticket-store.js';
import { ErrorTracker } from './monitor/error-tracker.js';
import { createWatchedUpstreams, type WatchedUpstreams } from './monitor/watched-upstreams.js';
import type { Upstreams } from './pbx/create-upstreams.js';
import { pbxHealth } from './pbx/pbx-health.js';
import { openStoreLifetime, type StoreLifetime } from './store/relay-store-lifetime.js';
import { isPostgresUrl } from './store/store.js';
import { SupervisorService } from './supervisor/supervisor-service.js';
import { TeamActiveCalls, TeamSupervisor, teamHealthView, type TeamView } from './team/role-facades.js';
import { createTeamMode, type TeamMode, type UpstreamSide } from './team/team-mode.js';
import { createTeamStream } from './team/team-stream.js';
import { leaderProxy } from './team/leader-proxy.js';
import { advertisedUrl } from './team/advertised-url.js';
import { startTeamBus, type RunningTeamBus } from './team/start-team-bus.js';
import type { RelayConfig, RelayStartResult } from './service-types.js';

const STOP_BUDGET_MS = 4_000;
const TEAM_SINCE_AHEAD_GRACE_MS = 2_000;

/** What the record is built with and reports to; the service shell owns it. */
export interface RelayRuntime {
  /** start fills in the demo's upstreams; the shell's reconfigure, saved settings. */
  config: { current: RelayConfig };
  clock: Clock;
  logger: Logger;
  /** Outlives the record: frame listeners may subscribe before a start. */
  hub: EventHub;
  /** Values the error feed masks. */
  secrets(): string[];
  errorLogged(entry: ErrorEntry, isNew: boolean): void;
  /** An alert fired, cleared or was acknowledged. */
  alertRaised(entry: AlertEntry): void;
  /** False once the relay is stopping: an upstream launch still waiting then does nothing. */
  stillWanted(): boolean;
}

export interface RunningRelay {
  readonly demo: DemoEnvironment | null;
  readonly store: StoreLifetime;
  readonly auth: AuthServices;
  readonly errors: ErrorTracker;
  /** Lives across reconfigures, so a call still up is not counted twice. */
  readonly counter: CallCounter;
  readonly calls: ActiveCallsService;
  /** Queues, agents and the PBX overview: one refresh loop shared by every viewer. */
  readonly supervisor: SupervisorService;
  readonly upstream: { current: WatchedUpstreams };
  /** Team mode (PostgreSQL store): the election and the stream; null on the embedded store. */
  readonly team: TeamMode | null;
  /** Team mode: store changes the other members must act on at once (NOTIFY). */
  readonly teamBus: RunningTeamBus | null;
  /** GET /relay/health: in team mode, a follower's upstream part comes from the leader. */
  readonly health: () => Health;
  readonly alerts: RelayAlerts;
  readonly admin: AdminServices;
  readonly server: RelayServer;
  readonly seeding: Promise<unknown>;
  readonly result: RelayStartResult;
}

type Draft = { -readonly [K in keyof RunningRelay]?: RunningRelay[K] };

/** `idle`: no 3CX clients at all (a team follower: all components `unconfigured`). */
function watchUpstreams(rt: RelayRuntime, r: Pick<RunningRelay, 'store' | 'errors' | 'counter' | 'calls'>, idle = false): WatchedUpstreams {
  const { pbx, cdr, version, tuning = {} } = rt.config.current;
  return createWatchedUpstreams(idle ? { pbx: null, cdr: null } : { pbx: pbx ?? null, cdr: cdr ?? null }, {
    hub: rt.hub, history: r.store.store.connections, errors: r.errors, liveObserver: r.counter, callsChanged: (partial) => r.calls.callControlChanged(partial), version, clock: rt.clock, logger: rt.logger,
    tuning: { ...(tuning.upstream ? { upstream: tuning.upstream } : {}), ...(tuning.monitor ? { monitor: tuning.monitor } : {}) },
  });
}

/**
 * Upstream swaps of one record (reconfigure, taking or leaving the lead) run
 * one after another: two at once both stopped the same old clients and both
 * launched new ones, and the set replaced first was never stopped (a second
 * token and Call Control socket, kept even on a follower).
 */
const swaps = new WeakMap<object, Promise<void>>();
function oneSwapAtATime(slot: object, work: () => Promise<void>): Promise<void> {
  const run = (swaps.get(slot) ?? Promise.resolve()).then(work);
  swaps.set(slot, run.catch(() => undefined));
  return run;
}

// The demo's call-record engine boots for a few seconds: connect after it.
function launch(rt: RelayRuntime, r: Pick<RunningRelay, 'demo' | 'upstream'>, u: WatchedUpstreams): void {
  void u.launch(r.demo?.ready ?? Promise.resolve(), () => rt.stillWanted() && r.upstream.current === u);
}

/** Builds and starts the record; a failure takes apart what was built, then rethrows. */
export async function startRunningRelay(rt: RelayRuntime): Promise<RunningRelay> {
  const draft: Draft = {};
  try {
    return await build(rt, draft);
  } catch (e) {
    await stopRunningRelay(rt, draft).catch(() => {});
    throw e;
  }
}

async function build(rt: RelayRuntime, draft: Draft): Promise<RunningRelay> {
  const { clock, logger, hub } = rt;
  const tuning = rt.config.current.tuning ?? {};
  if (rt.config.current.demo) {
    const { startDemoEnvironment } = await import('./demo/demo-environment.js');
    draft.demo = await startDemoEnvironment({
      logger,
      ...(tuning.demoCallsPerMinute !== undefined ? { callsPerMinute: tuning.demoCallsPerMinute } : {}),
      ...(tuning.demoHistoryRows !== undefined ? { historyRows: tuning.demoHistoryRows } : {}),
      ...(tuning.demoPbxVersion !== undefined ? { pbxVersion: tuning.demoPbxVersion } : {}),
    });
    rt.config.current = { ...rt.config.current, pbx: draft.demo.pbx, cdr: draft.demo.cdr };
  }
  const config = rt.config.current;
  const store = draft.store = await openStoreLifetime({
    storeUrl: config.storeUrl, dataDir: config.dataDir, clock, logger, ...(tuning.flushIntervalMs ? { flushIntervalMs: tuning.flushIntervalMs } : {}),
  });
  const auth = draft.auth = createAuthServices(store.store, {
    clock, logger, ...(tuning.bcryptCost !== undefined ? { bcryptCost: tuning.bcryptCost } : {}), ...(tuning.signIn ? { signIn: tuning.signIn } : {}), ...(tuning.hasher ? { hasher: tuning.hasher } : {}),
  });
  // The first admin's bcrypt hash (~0.3-0.5 s in the worker) runs while the relay starts and
  // listens: the user service makes a sign-in that arrives first wait for it.
  const bootstrap = await auth.users.beginBootstrap(config.adminPassword);
  bootstrap.stored.catch((e: unknown) => {
    if (rt.stillWanted()) logger.error('the first admin user could not be stored', { error: describeError(e) });
  });
  const errors = draft.errors = new ErrorTracker({ store: store.store.errors, hub, clock, logger, secrets: rt.secrets });
  errors.on('logged', rt.errorLogged);
  const counter = draft.counter = new CallCounter(store.store.requestLog, clock);
  // Team mode whenever the store is PostgreSQL (a single relay is a team of one):
  // only the elected leader holds 3CX connections; the others mirror it.
  const teamStoreUrl = config.storeUrl && isPostgresUrl(config.storeUrl) ? config.storeUrl : null;
  let team: TeamMode | null = null;
  const stream = teamStoreUrl
    ? createTeamStream({ url: teamStoreUrl, hub, clock, logger, onWriteFailed: () => team?.election.relinquish() })
    : null;
  const view: TeamView | null = stream && {
    following: () => team?.following() ?? true,
    leadingForMs: () => team?.leadingForMs() ?? 0,
    mirrored: (key) => stream.mirrored(key),
  };
  // XAPI is the live list's source; Call Control's changes only ask it for a refresh
  // (active-calls-service.ts). Each changed list is a `calls` frame and is counted.
  const callsDeps: ConstructorParameters<typeof ActiveCallsService>[0] = {
    upstreams: () => (draft.upstream ? { xapi: ups().xapi, callcontrol: ups().callControl } : {}),
    clock,
    publish: (value) => {
      hub.publish({ type: 'calls', value });
      counter.callList(value);
      draft.supervisor?.callsChanged(value);
    },
  };
  const calls: ActiveCallsService = draft.calls = view ? new TeamActiveCalls(callsDeps, view) : new ActiveCallsService(callsDeps);
  // A team member starts with no 3CX clients; it builds them only once elected.
  const upstream = draft.upstream = { current: watchUpstreams(rt, { store, errors, counter, calls }, !!stream) };
  const ups = (): Upstreams => upstream.current.upstreams;
  // Reads the current upstreams on each refresh, so a reconfigure needs no rewiring.
  const supervisorDeps: ConstructorParameters<typeof SupervisorService>[0] = {
    xapi: () => ups().xapi,
    coverage: () => pbxHealth(ups()).callControlCoverage ?? null,
    calls,
    cdr: () => ups().cdr,
    clock,
    logger,
    publish: (frame) => hub.publish(frame),
    ...(tuning.supervisor ?? {}),
  };
  const supervisor = draft.supervisor = view ? new TeamSupervisor(supervisorDeps, view) : new SupervisorService(supervisorDeps);
  const ownHealth = () => upstream.current.health();
  const health = view ? teamHealthView(ownHealth, view, () => team?.health()) : ownHealth;
  const alerts = draft.alerts = createRelayAlerts({
    store: store.store, hub, clock, logger, onAlert: rt.alertRaised,
    // The engine's view of the relay: the supervisor's shared figures and the components' health.
    snapshot: () => ({ queues: supervisor.queues(), pbx: supervisor.pbx(), components: health().components }),
    ...(tuning.alertIntervalMs !== undefined ? { intervalMs: tuning.alertIntervalMs } : {}),
  });
  const admin = draft.admin = createAdminServices({
    clock, store: store.store, auth, errors, calls, alerts: alerts.service, supervisor, health, upstream: () => ({ monitor: upstream.current.monitor, cdr: ups().cdr }),
  });
  const tickets = new TicketStore({ clock });
  // A follower hands requests only the leader can answer (3CX, call records, alert engine) to it;
  // the handler exists once the member id is known (after listening).
  let handOver: RequestHandler | null = null;
  const dashboardDir = config.dashboardDir ?? findDashboardDir([...new Set([findPackageRoot(import.meta.url), process.cwd()])]);
  const server = draft.server = await startRelayServer({
    host: config.host, port: config.port, allowedHostNames: config.allowedHostNames, allowedOrigins: config.allowedOrigins, clock,
    security: config.security,
    app: {
      logger, health, apiKeys: auth.apiKeys, sessions: createAdminSessions(auth), calls, supervisor, cdr: () => ups().cdr, tickets, alerts: alerts.service,
      adminAs: (user) => createAdminOperations(admin, { kind: 'user', user }),
      requestLog: store.store.requestLog,
      ...(stream ? { beforeRoutes: ((req, res, next) => (handOver ? handOver(req, res, next) : next())) satisfies RequestHandler } : {}),
      reportUnexpected: (e, ctx) => void errors.record({ component: 'api', severity: 'error', message: `unexpected failure in ${ctx.method} ${ctx.path}: ${describeError(e)}` }),
      ...(tuning.rateLimit ? { rateLimit: tuning.rateLimit } : {}),
      ...(dashboardDir ? { dashboard: { dir: dashboardDir } } : {}),
      now: () => clock.now(),
    },
    ws: { hub, keys: auth.apiKeys, sessions: auth.sessions, tickets, components: () => health().components, logger, clock, options: {
      // A client coming from another member may be a few frames ahead of this one's mirror.
      ...(stream ? { aheadGraceMs: TEAM_SINCE_AHEAD_GRACE_MS } : {}),
      ...tuning.websocket,
    } },
  });
  const demo = draft.demo ?? null;
  const seeding = draft.seeding = demo?.seedHistory(clock.now()).then(
    (r) => logger.info('demo call history generated', { rows: r.rows }),
    (e) => logger.warn('demo call history generation failed', { error: describeError(e) }),
  ) ?? Promise.resolve();
  const result: RelayStartResult = {
    url: server.url,
    ...(bootstrap.result.created && bootstrap.result.generatedPassword ? { bootstrapPassword: bootstrap.result.generatedPassword } : {}),
    ...(demo ? { simulatorUrl: demo.simulator.url } : {}),
  };
  let teamBus: RunningRelay['teamBus'] = null;
  if (stream) {
    const t = team = draft.team = createTeamMode({
      storeUrl: teamStoreUrl!, db: store.store.db as never, pbx: config.pbx ? { url: config.pbx.baseUrl, clientId: config.pbx.clientId } : null,
      stream, frames: hub, clock, logger,
      upstream: leaderSide(rt, { store, errors, counter, calls, supervisor, alerts, upstream, demo }),
    });
    // The upstream side starts if and when this relay is elected.
    t.start({ url: advertisedUrl(server.url, config), port: Number(new URL(server.url).port) });
    const memberId = t.memberId()!;
    handOver = leaderProxy({ isFollower: () => t.following(), leaderUrl: () => t.leaderUrl(), memberId, logger });
    // Revoking a key or a session, or editing alert rules, takes effect on every member at once.
    teamBus = draft.teamBus = startTeamBus({
      storeUrl: teamStoreUrl!, db: store.store.db, memberId, logger, clock,
      parties: { apiKeys: auth.apiKeys, sessions: auth.sessions, alerts: alerts.service },
    });
    await teamBus.ready;
  }
  const running: RunningRelay = Object.freeze({ demo, store, auth, errors, counter, calls, supervisor, upstream, team, teamBus, health, alerts, admin, server, seeding, result });
  if (!team) {
    launch(rt, running, upstream.current);
    supervisor.start();
    alerts.start();
  }
  logger.info('relay listening', { url: server.url, dashboard: dashboardDir ?? null, store: store.store.engine });
  return running;
}

/** The leader-only half of a team member: 3CX clients, the supervisor loop, the alert engine. */
function leaderSide(
  rt: RelayRuntime,
  r: Pick<RunningRelay, 'store' | 'errors' | 'counter' | 'calls' | 'supervisor' | 'alerts' | 'upstream' | 'demo'>,
): UpstreamSide {
  const swap = (idle: boolean) => oneSwapAtATime(r.upstream, async () => {
    const old = r.upstream.current;
    await old.stop();
    const next = watchUpstreams(rt, r, idle);
    r.upstream.current = next;
    if (!idle) launch(rt, r, next);
  });
  return {
    async start() {
      await swap(false);
      r.supervisor.start();
      r.alerts.start();
    },
    async stop() {
      await r.alerts.stop();
      r.supervisor.close();
      await swap(true);
    },
    connections: () => Object.values(r.upstream.current.health().components)
      .filter((c) => c.state !== 'unconfigured' && c.state !== 'disconnected').length,
    state: () => ({
      calls: () => r.calls.list(),
      health: () => r.upstream.current.health(),
      supervisor: () => ({ queues: r.supervisor.queues(), agents: r.supervisor.agents(), pbx: r.supervisor.pbx() }),
    }),
  };
}

/** Replaces the upstream part with one built from the current configuration (a team follower keeps none). */
export function swapUpstreams(rt: RelayRuntime, r: RunningRelay): Promise<void> {
  return oneSwapAtATime(r.upstream, async () => {
    // Judged when its turn comes: a step-down queued before it has made this relay a follower.
    if (r.team?.following()) return;
    const next = watchUpstreams(rt, r);
    await r.upstream.current.stop();
    r.upstream.current = next;
    launch(rt, r, next);
  });
}

/** Takes apart a running record, or what a failed start got to build. */
export async function stopRunningRelay(rt: RelayRuntime, r: Partial<RunningRelay>): Promise<void> {
  const { clock, logger } = rt;
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
  // Steps down first (upstreams stopped, lock released), so another member takes over at once.
  await r.team?.stop();
  await r.teamBus?.stop();
  step('team');
  r.calls?.close();
  r.supervisor?.close();
  await r.upstream?.current.stop();
  step('upstreams');
  // Stopping the demo cuts its history seeder short; then its promise settles.
  await r.demo?.stop();
  await r.seeding;
  step('demo');
  await r.alerts?.stop();
  await r.errors?.drain();
  rt.hub.close();
  await r.store?.close();
  step('store');
  logger.info('relay stopped');
}
