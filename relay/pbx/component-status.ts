// The one implementation of "state, latency, last error and events" that the
// three upstream clients share. Each client extends this class and only says
// what happened (`setState`, `recordLatency`, `fail`); the bookkeeping —
// when to emit `state`, how to avoid a fault per retry — lives here once.
import { EventEmitter } from 'node:events';
import type { ComponentHealth, ComponentName, ComponentState, Severity } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { redact, redactString } from '../core/redact.js';
import type { TypedEmitter, UpstreamEvents, UpstreamFault } from './upstream.js';

/** What every upstream client takes besides its own settings. */
export interface ComponentDeps {
  clock?: Clock;
  logger?: Logger;
  /**
   * Values masked (in every encoding) from lastError and faults: 3CX may echo
   * our request, secret included, in an error body, and these texts reach
   * /relay/health, the error feed and the connection history.
   */
  secrets?: () => readonly string[];
}

// Node's EventEmitter with the typed surface of the ports. The cast is the
// only place the typing is asserted; every subclass inherits it.
const TypedEventEmitter = EventEmitter as unknown as new <E extends Record<string, unknown[]>>() => TypedEmitter<E>;

export abstract class ComponentStatus<E extends UpstreamEvents = UpstreamEvents> extends TypedEventEmitter<E> {
  readonly name: ComponentName;
  protected readonly clock: Clock;
  /** The caller's logger, bound to this component's name. */
  protected readonly log: Logger;
  #health: ComponentHealth;
  // The fault most recently reported while unhealthy; a retry loop failing
  // the same way again does not report it again (one entry per outage).
  #lastFaultKey: string | null = null;
  readonly #secrets: () => readonly string[];

  /** `configured: false` starts (and stays) `unconfigured`; otherwise `disconnected` until started. */
  constructor(name: ComponentName, deps: ComponentDeps, configured: boolean) {
    super();
    this.name = name;
    this.clock = deps.clock ?? systemClock;
    this.log = (deps.logger ?? silentLogger).child({ component: name });
    this.#secrets = deps.secrets ?? (() => []);
    const state: ComponentState = configured ? 'disconnected' : 'unconfigured';
    this.#health = { state, latencyMs: null, lastError: null, since: new Date(this.clock.now()).toISOString() };
  }

  health(): ComponentHealth {
    return { ...this.#health };
  }

  get state(): ComponentState {
    return this.#health.state;
  }

  /**
   * Move to `state`. `error` is the person-readable reason (kept as
   * lastError); entering `connected` clears it. Emits `state` only when the
   * state or the error text changed, so steady polling stays quiet.
   */
  protected setState(state: ComponentState, error?: string | null): void {
    const previous = this.health();
    const given = typeof error === 'string' ? redactString(error, this.#secrets()) : error;
    const lastError = state === 'connected' ? null : given === undefined ? previous.lastError : given;
    if (previous.state === state && previous.lastError === lastError) return;
    this.#health = {
      state,
      latencyMs: previous.latencyMs,
      lastError,
      since: previous.state === state ? previous.since : new Date(this.clock.now()).toISOString(),
    };
    if (state === 'connected') this.#lastFaultKey = null;
    this.emit('state', this.health(), previous);
  }

  protected recordLatency(ms: number): void {
    this.#health = { ...this.#health, latencyMs: Math.max(0, Math.round(ms)) };
  }

  /** Report a fault; repeats of the same fault before the next recovery are dropped. */
  protected reportFault(severity: Severity, message: string, details?: unknown): void {
    const secrets = this.#secrets();
    const masked = redactString(message, secrets);
    const key = `${severity}:${masked}`;
    if (key === this.#lastFaultKey) return;
    this.#lastFaultKey = key;
    const fault: UpstreamFault = { component: this.name, severity, message: masked };
    if (details !== undefined) fault.details = redact(details, secrets);
    this.emit('fault', fault);
  }

  /** Enter `state` (default `error`) with a reason and report it as a fault once. */
  protected fail(message: string, opts: { state?: ComponentState; severity?: Severity; details?: unknown } = {}): void {
    this.setState(opts.state ?? 'error', message);
    this.reportFault(opts.severity ?? 'error', message, opts.details);
  }
}
