// Which error-feed entries become native notifications: only new entries of
// severity error or critical, at most one notification per component per
// window; what arrives inside the window is summed up in one notification
// when it ends ("3 more errors from Call Control"), so a flapping upstream
// makes one notification a minute, not one a second.
import type { ErrorComponent, ErrorEntry, Severity } from '../../relay/contract/api-types.js';
import type { Clock } from '../../relay/core/clock.js';

export interface Notice {
  title: string;
  body: string;
  component: ErrorComponent;
  severity: Severity;
  /** How many error-feed entries this notification stands for. */
  count: number;
  /** The newest entry it stands for. */
  entryId: number;
}

export const DEFAULT_NOTIFY_WINDOW_MS = 60_000;

const COMPONENT_LABEL: Record<ErrorComponent, string> = {
  xapi: '3CX API', callcontrol: 'Call Control', database: 'call records database', relay: 'the relay', store: 'the relay store', api: 'the local API',
};
const NOTIFIED: ReadonlySet<Severity> = new Set<Severity>(['error', 'critical']);

interface ComponentState {
  lastShownAt: number;
  pending: { count: number; latest: ErrorEntry; critical: boolean } | null;
  timer: { cancel(): void } | null;
}

export interface NotificationThrottle {
  offer(entry: ErrorEntry, isNew: boolean): void;
  /** Cancels pending summaries (nothing more is shown). */
  stop(): void;
}

export function createNotificationThrottle(opts: { clock: Clock; notify: (notice: Notice) => void; windowMs?: number }): NotificationThrottle {
  const { clock, notify } = opts;
  const windowMs = opts.windowMs ?? DEFAULT_NOTIFY_WINDOW_MS;
  const states = new Map<ErrorComponent, ComponentState>();
  let stopped = false;

  const flush = (component: ErrorComponent) => {
    const state = states.get(component);
    if (!state?.pending) return;
    const { count, latest, critical } = state.pending;
    state.pending = null;
    state.timer = null;
    state.lastShownAt = clock.now();
    notify({
      title: `${count} more ${count === 1 ? 'error' : 'errors'} from ${COMPONENT_LABEL[component]}${critical ? ' (critical)' : ''}`,
      body: `Latest: ${latest.message}`,
      component,
      severity: critical ? 'critical' : 'error',
      count,
      entryId: latest.id,
    });
  };

  return {
    offer(entry, isNew) {
      if (stopped || !isNew || !NOTIFIED.has(entry.severity)) return;
      const now = clock.now();
      const state = states.get(entry.component);
      if (!state || now - state.lastShownAt >= windowMs) {
        states.set(entry.component, { lastShownAt: now, pending: null, timer: null });
        notify({
          title: `${entry.severity === 'critical' ? 'Critical: ' : ''}${COMPONENT_LABEL[entry.component]}`,
          body: entry.message,
          component: entry.component,
          severity: entry.severity,
          count: 1,
          entryId: entry.id,
        });
        return;
      }
      const critical = entry.severity === 'critical';
      state.pending = state.pending
        ? { count: state.pending.count + 1, latest: entry, critical: state.pending.critical || critical }
        : { count: 1, latest: entry, critical };
      state.timer ??= clock.setTimeout(() => flush(entry.component), state.lastShownAt + windowMs - now);
    },
    stop() {
      stopped = true;
      for (const state of states.values()) state.timer?.cancel();
      states.clear();
    },
  };
}
