// Which alerts become native notifications: a rule firing outside its quiet
// hours (silenced alerts are history only; clearing and acknowledging are
// not news worth a popup). At most one per rule per window; further firings
// of the same rule inside the window (a flapping threshold whose cool-down is
// short) are summed up in one notification when the window ends.
import type { AlertEntry } from '../../relay/contract/supervisor-types.js';
import type { Severity } from '../../relay/contract/api-types.js';
import type { Clock } from '../../relay/core/clock.js';

export interface AlertNotice {
  title: string;
  body: string;
  severity: Severity;
  /** The dashboard page a click opens. */
  page: string;
  /** How many firings this notification stands for. */
  count: number;
  /** The newest alert it stands for. */
  alertId: number;
}

export const ALERTS_PAGE = 'alerts';
export const DEFAULT_ALERT_WINDOW_MS = 60_000;

/** True for the alerts a person is told about at once. */
export function isNotifiable(entry: AlertEntry): boolean {
  return entry.state === 'fired' && !entry.silenced;
}

export interface AlertNotifier {
  offer(entry: AlertEntry): void;
  stop(): void;
}

export function createAlertNotifier(opts: { clock: Clock; notify: (notice: AlertNotice) => void; windowMs?: number }): AlertNotifier {
  const { clock, notify } = opts;
  const windowMs = opts.windowMs ?? DEFAULT_ALERT_WINDOW_MS;
  const rules = new Map<number, { lastShownAt: number; pending: { count: number; latest: AlertEntry } | null; timer: { cancel(): void } | null }>();
  let stopped = false;

  const title = (e: AlertEntry) => `${e.severity === 'critical' ? 'Critical alert' : 'Alert'}: ${e.rule}`;
  const flush = (ruleId: number) => {
    const state = rules.get(ruleId);
    if (!state?.pending) return;
    const { count, latest } = state.pending;
    state.pending = null;
    state.timer = null;
    state.lastShownAt = clock.now();
    notify({ title: `${title(latest)} fired ${count} more ${count === 1 ? 'time' : 'times'}`, body: `Latest: ${latest.message}`, severity: latest.severity, page: ALERTS_PAGE, count, alertId: latest.id });
  };

  return {
    offer(entry) {
      if (stopped || !isNotifiable(entry)) return;
      const now = clock.now();
      const state = rules.get(entry.ruleId);
      if (!state || now - state.lastShownAt >= windowMs) {
        rules.set(entry.ruleId, { lastShownAt: now, pending: null, timer: null });
        notify({ title: title(entry), body: entry.message, severity: entry.severity, page: ALERTS_PAGE, count: 1, alertId: entry.id });
        return;
      }
      state.pending = { count: (state.pending?.count ?? 0) + 1, latest: entry };
      state.timer ??= clock.setTimeout(() => flush(entry.ruleId), state.lastShownAt + windowMs - now);
    },
    stop() {
      stopped = true;
      for (const state of rules.values()) state.timer?.cancel();
      rules.clear();
    },
  };
}
