// Watches the health of the three upstream components (XAPI, Call Control,
// CDR database): starts and stops them, probes each periodically (with
// jitter, so the probes don't line up), and turns what they report into
// connection_status_history rows and `connection_state` frames on every state
// change, and error-feed entries for faults and outages. The calls themselves
// travel another way (relay/live-calls/live-call-bridge.ts). health() and
// connections() are the answers of GET /relay/health and GET /admin/connections.
//
// Health status: `ok` when every configured component is connected, `down`
// when none is (or nothing is configured: the relay cannot relay anything),
// `degraded` otherwise. An `unconfigured` component is a setting, not a fault,
// so it never makes the relay degraded on its own.
import type {
  ActiveCall, ComponentConnection, ComponentHealth, ComponentName, ConnectionsView, Health, RelayStatus,
} from '../contract/api-types.js';
import { COMPONENTS } from '../contract/api-types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { RelayError, describeError } from '../core/relay-error.js';
import type { FramePublisher } from '../events/event-hub.js';
import type { UpstreamComponent, UpstreamFault } from '../pbx/upstream.js';
import type { ConnectionHistoryRepository } from '../store/connection-history-repository.js';
import type { ErrorReport } from './error-tracker.js';

export interface MonitoredComponents {
  xapi?: UpstreamComponent | null;
  callcontrol?: UpstreamComponent | null;
  database?: UpstreamComponent | null;
}

export interface ConnectionMonitorOptions {
  /** Probe interval per component (default 10 s). */
  checkIntervalMs?: number;
  /** ± fraction of the interval added at random (default 0.2). */
  jitter?: number;
  /** History entries per component in connections() (default 20). */
  historyLimit?: number;
  /** Random source in [0, 1) for the jitter. */
  random?: () => number;
}

export interface ConnectionMonitorDeps {
  components: MonitoredComponents;
  history: Pick<ConnectionHistoryRepository, 'insert' | 'recent'>;
  errors: { record(report: ErrorReport): Promise<unknown> };
  hub: FramePublisher;
  /** Relay version for health(). */
  version: string;
  /**
   * Call Control's list changed. When given, Call Control's (partial) list is
   * a change signal for the system-wide XAPI list, which publishes `calls`
   * itself, and is not published here.
   */
  callsChanged?: (calls: ActiveCall[]) => void;
  clock?: Clock;
  logger?: Logger;
  options?: ConnectionMonitorOptions;
}

const OUTAGE_STATES = new Set(['error', 'disconnected']);

interface Watch {
  name: ComponentName;
  component: UpstreamComponent;
  detach: () => void;
  timer: { cancel(): void } | null;
  checking: boolean;
  /** An error-feed entry already describes the current outage (a fault, or our own). */
  outageReported: boolean;
  /** A manual reconnect is in progress: its disconnect is expected. */
  reconnecting: boolean;
}

export class ConnectionMonitor {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly jitter: number;
  private readonly historyLimit: number;
  private readonly random: () => number;
  private readonly startedAt: number;
  private readonly watches = new Map<ComponentName, Watch>();
  private readonly pending = new Set<Promise<unknown>>();
  private running = false;

  constructor(private readonly deps: ConnectionMonitorDeps) {
    this.clock = deps.clock ?? systemClock;
    this.logger = (deps.logger ?? silentLogger).child({ component: 'connection-monitor' });
    const o = deps.options ?? {};
    this.intervalMs = o.checkIntervalMs ?? 10_000;
    this.jitter = Math.min(Math.max(o.jitter ?? 0.2, 0), 0.9);
    this.historyLimit = o.historyLimit ?? 20;
    this.random = o.random ?? Math.random;
    this.startedAt = this.clock.now();
  }

  /** Attaches to the components, records their initial state, starts them and the probes. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    for (const name of COMPONENTS) {
      const component = this.deps.components[name];
      if (component) this.watches.set(name, this.attach(name, component));
    }
    for (const w of this.watches.values()) this.track(this.writeHistory(w.name, w.component.health()));
    await Promise.all([...this.watches.values()].map((w) => w.component.start()));
    if (!this.running) return; // stopped while starting
    for (const w of this.watches.values()) this.scheduleCheck(w);
  }

  /** Detaches first (a shutdown is not an outage), then stops the components and waits for pending writes. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const w of this.watches.values()) {
      w.timer?.cancel();
      w.timer = null;
      w.detach();
    }
    await Promise.all([...this.watches.values()].map((w) => w.component.stop()));
    this.watches.clear();
    await Promise.allSettled([...this.pending]);
  }

  components(): Record<ComponentName, ComponentHealth> {
    const out = {} as Record<ComponentName, ComponentHealth>;
    for (const name of COMPONENTS) out[name] = this.componentHealth(name);
    return out;
  }

  health(): Health {
    const components = this.components();
    return {
      status: relayStatus(Object.values(components)),
      version: this.deps.version,
      uptimeS: Math.max(0, Math.floor((this.clock.now() - this.startedAt) / 1000)),
      components,
    };
  }

  async connections(): Promise<ConnectionsView> {
    const list: ComponentConnection[] = await Promise.all(COMPONENTS.map(async (component) => ({
      component,
      ...this.componentHealth(component),
      history: await this.deps.history.recent(component, this.historyLimit),
    })));
    return { components: list };
  }

  /** Manual reconnect; resolves when the attempt finished. RelayError when the component is not configured. */
  async reconnect(name: ComponentName): Promise<void> {
    const w = this.watches.get(name) ?? null;
    const component = w?.component ?? this.deps.components[name] ?? null;
    if (!component || component.health().state === 'unconfigured') throw RelayError.unconfigured(name);
    if (w) w.reconnecting = true;
    try {
      await component.reconnect();
    } finally {
      if (w) w.reconnecting = false;
    }
  }

  private componentHealth(name: ComponentName): ComponentHealth {
    const component = this.deps.components[name];
    if (component) return component.health();
    return { state: 'unconfigured', latencyMs: null, lastError: null, since: new Date(this.startedAt).toISOString() };
  }

  private attach(name: ComponentName, component: UpstreamComponent): Watch {
    const w: Watch = { name, component, detach: () => {}, timer: null, checking: false, outageReported: false, reconnecting: false };
    const onState = (current: ComponentHealth, previous: ComponentHealth) => this.onState(w, current, previous);
    const onFault = (fault: UpstreamFault) => this.onFault(w, fault);
    component.on('state', onState);
    component.on('fault', onFault);
    w.detach = () => {
      component.off('state', onState);
      component.off('fault', onFault);
    };
    return w;
  }

  private onState(w: Watch, current: ComponentHealth, previous: ComponentHealth): void {
    if (!this.running) return;
    this.track(this.writeHistory(w.name, current));
    this.deps.hub.publish({
      type: 'connection_state',
      data: { component: w.name, state: current.state, latencyMs: current.latencyMs, error: current.lastError },
    });
    if (current.state === 'connected') {
      // The full active-call list after a (re)connect needs nothing here: the
      // Call Control port emits `calls` after every resync (see upstream.ts),
      // and the live-call bridge forwards it like any other change.
      w.outageReported = false;
      return;
    }
    if (!OUTAGE_STATES.has(current.state) || w.outageReported || w.reconnecting) return;
    // Components usually report the fault right after the state (same tick):
    // wait a microtask so the fault, when there is one, is the outage's entry.
    queueMicrotask(() => {
      if (!this.running || w.outageReported || w.reconnecting || !OUTAGE_STATES.has(w.component.health().state)) return;
      w.outageReported = true;
      const reason = current.lastError ?? 'connection lost';
      this.track(this.deps.errors.record({
        component: w.name,
        severity: current.state === 'error' ? 'error' : 'warning',
        message: `${w.name} ${current.state === 'error' ? 'failed' : 'disconnected'}: ${reason}`,
        details: { state: current.state, previousState: previous.state, since: current.since },
      }));
    });
  }

  private onFault(w: Watch, fault: UpstreamFault): void {
    if (!this.running) return;
    w.outageReported = true;
    this.track(this.deps.errors.record({ component: fault.component, severity: fault.severity, message: fault.message, details: fault.details }));
  }

  private scheduleCheck(w: Watch): void {
    if (!this.running) return;
    const delay = Math.max(0, Math.round(this.intervalMs * (1 + this.jitter * (2 * this.random() - 1))));
    w.timer = this.clock.setTimeout(() => {
      w.timer = null;
      void this.runCheck(w);
    }, delay);
  }

  private async runCheck(w: Watch): Promise<void> {
    if (!this.running || w.checking) return;
    w.checking = true;
    try {
      await w.component.check();
    } catch (e) {
      // check() promises never to reject; if one does, it is a relay bug worth a feed entry.
      this.track(this.deps.errors.record({ component: 'relay', severity: 'error', message: `health check of ${w.name} threw: ${describeError(e)}` }));
    } finally {
      w.checking = false;
    }
    this.scheduleCheck(w);
  }

  private async writeHistory(name: ComponentName, h: ComponentHealth): Promise<void> {
    try {
      await this.deps.history.insert(name, { at: new Date(this.clock.now()).toISOString(), state: h.state, latencyMs: h.latencyMs, error: h.lastError });
    } catch (e) {
      this.logger.warn('could not write connection history', { err: e, component: name });
    }
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => {});
  }
}

export function relayStatus(components: readonly ComponentHealth[]): RelayStatus {
  const configured = components.filter((c) => c.state !== 'unconfigured');
  const connected = configured.filter((c) => c.state === 'connected').length;
  if (connected === 0) return 'down';
  return connected === configured.length ? 'ok' : 'degraded';
}

/** Health before anything is watched (the relay not started): every component unconfigured. */
export function unwatchedHealth(version: string, startedAt: number, now: number): Health {
  const since = new Date(startedAt).toISOString();
  const components = Object.fromEntries(COMPONENTS.map((c) => [c, { state: 'unconfigured', latencyMs: null, lastError: null, since }])) as Health['components'];
  return { status: relayStatus(Object.values(components)), version, uptimeS: Math.floor((now - startedAt) / 1000), components };
}
