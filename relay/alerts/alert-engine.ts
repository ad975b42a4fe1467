// Evaluates the alert rules against each new snapshot and records what
// changed: a rule whose condition starts to hold fires (one history row),
// one whose condition stops holding clears it. After clearing, a rule stays
// quiet for its cool-down. Inside its quiet hours a rule still fires and is
// recorded, marked `silenced`, so notifications skip it. Every fire, clear
// and acknowledge is an `alert` frame on the hub and goes to `onAlert`.
//
// Evaluations run one at a time (each writes to the store); a request that
// arrives during one runs once more after it, with the newest snapshot.
import type { AlertFrame } from '../contract/api-types.js';
import type { AlertEntry, AlertFrameData, AlertRule } from '../contract/supervisor-types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError, RelayError } from '../core/relay-error.js';
import { isoAt } from '../store/store-schema.js';
import type { AlertHistoryRepository } from '../store/alert-history-repository.js';
import { evaluateCondition } from './alert-conditions.js';
import type { AlertSnapshot } from './alert-snapshot.js';
import { inQuietHours } from './quiet-hours.js';

// The frame's data is supervisor-types.ts's AlertFrameData: fail the build if they drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameFrameData: Same<AlertFrame['data'], AlertFrameData> = true;
void _sameFrameData;

export const DEFAULT_ALERT_INTERVAL_MS = 5_000;

export interface AlertEngineDeps {
  rules: { list(): Promise<AlertRule[]> };
  history: Pick<AlertHistoryRepository, 'fire' | 'clear' | 'acknowledge' | 'open'>;
  snapshot(): AlertSnapshot;
  publish(frame: Omit<AlertFrame, 'seq' | 'at'>): void;
  onAlert(entry: AlertEntry): void;
  clock: Clock;
  logger: Logger;
  /** Periodic evaluation (time alone can breach upstream_down); default 5 s. */
  intervalMs?: number;
}

interface RuleState {
  /** The history entry while the rule is firing. */
  open: AlertEntry | null;
  /** When the rule last cleared (ms), for the cool-down. */
  clearedAt: number | null;
}

export class AlertEngine {
  private rules: AlertRule[] | null = null;
  private readonly states = new Map<number, RuleState>();
  private loaded: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: { cancel(): void } | null = null;
  private stopped = false;
  private started = false;

  constructor(private readonly deps: AlertEngineDeps) {}

  /** Evaluates now and then every interval until stop(). */
  start(): void {
    this.stopped = false;
    this.started = true;
    const tick = () => {
      if (this.stopped) return;
      void this.evaluate();
      this.timer = this.deps.clock.setTimeout(tick, this.deps.intervalMs ?? DEFAULT_ALERT_INTERVAL_MS);
    };
    tick();
  }

  /** Stops the timer; resolves once a running evaluation has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  /** Rules were added, changed or removed: read them again and evaluate. */
  rulesChanged(): Promise<void> {
    this.rules = null;
    return this.evaluate();
  }

  /**
   * The rules were changed by another relay of the team: read them again at
   * the next evaluation, which runs at once only if this engine is running
   * (an engine that is not started, e.g. a follower's, must not fire alerts).
   */
  forgetRules(): Promise<void> {
    this.rules = null;
    return this.started ? this.evaluate() : Promise.resolve();
  }

  /** Evaluates the current snapshot; never rejects (a failure is logged, the next one retries). */
  evaluate(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async () => {
      do {
        this.again = false;
        try {
          await this.evaluateOnce();
        } catch (e) {
          this.deps.logger.warn('alert evaluation failed', { error: describeError(e) });
        }
      } while (this.again && !this.stopped);
    };
    this.running = run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stores who acknowledged and when; 404 for an unknown alert. Acknowledging twice keeps the first. */
  async acknowledge(id: number, by: string): Promise<AlertEntry> {
    const result = await this.deps.history.acknowledge(id, by, isoAt(this.deps.clock.now()));
    if (!result) throw RelayError.notFound(`no alert with id ${id}`);
    if (result.changed) {
      for (const s of this.states.values()) if (s.open?.id === id) s.open = result.entry;
      this.announce(result.entry);
    }
    return result.entry;
  }

  private async evaluateOnce(): Promise<void> {
    await (this.loaded ??= this.loadOpen().catch((e: unknown) => {
      this.loaded = null;
      throw e;
    }));
    const rules = (this.rules ??= await this.deps.rules.list());
    const snap = this.deps.snapshot();
    const now = this.deps.clock.now();
    const live = new Set<number>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      live.add(rule.id);
      const state = this.stateOf(rule.id);
      const condition = evaluateCondition(rule, snap, now);
      if (condition === null) continue;
      if (condition.breached && !state.open) {
        if (state.clearedAt !== null && now - state.clearedAt < rule.cooldownS * 1000) continue;
        state.open = await this.deps.history.fire({
          ruleId: rule.id, rule: rule.name, severity: rule.severity, message: condition.message,
          firedAt: isoAt(now), silenced: inQuietHours(rule.quietHours, now),
        });
        this.announce(state.open);
      } else if (!condition.breached && state.open) {
        await this.clear(state, now);
      }
    }
    // A rule disabled or deleted while firing: its alert ends with it.
    for (const [id, state] of this.states) {
      if (!live.has(id) && state.open) await this.clear(state, now);
    }
  }

  private async clear(state: RuleState, now: number): Promise<void> {
    const cleared = await this.deps.history.clear(state.open!.id, isoAt(now));
    state.open = null;
    state.clearedAt = now;
    if (cleared) this.announce(cleared);
  }

  private stateOf(ruleId: number): RuleState {
    let s = this.states.get(ruleId);
    if (!s) this.states.set(ruleId, (s = { open: null, clearedAt: null }));
    return s;
  }

  /** Alerts left firing by the previous run: they clear (or go on) from here, not fire twice. */
  private async loadOpen(): Promise<void> {
    for (const entry of await this.deps.history.open()) this.stateOf(entry.ruleId).open = entry;
  }

  private announce(entry: AlertEntry): void {
    const data: AlertFrameData = { id: entry.id, rule: entry.rule, severity: entry.severity, state: entry.state, message: entry.message };
    this.deps.publish({ type: 'alert', data });
    try {
      this.deps.onAlert(entry);
    } catch (e) {
      this.deps.logger.warn('alert listener threw', { error: describeError(e) });
    }
  }
}
