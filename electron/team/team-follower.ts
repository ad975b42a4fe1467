// Follows a team relay from the main process while the desktop is its
// client, so the tray and native notifications work as they do for the
// desktop's own relay: health every few seconds (GET /relay/health, no
// sign-in needed), and with the session the new error-feed entries and alert
// transitions (GET /admin/errors, /admin/alerts). Polling, not the
// WebSocket: a tray needs seconds, not milliseconds, and a poll survives
// relay failovers and expired tickets without a reconnect protocol.
import type { ErrorEntry, Health } from '../../relay/contract/api-types.js';
import type { TeamHttpRequest, TeamHttpResponse } from '../../relay/contract/ipc-team.js';
import type { AlertEntry } from '../../relay/contract/supervisor-types.js';
import type { Clock } from '../../relay/core/clock.js';
import { describeError } from '../../relay/core/relay-error.js';
import type { Logger } from '../../relay/core/logger.js';

export const TEAM_POLL_MS = 5_000;
const FEED_LIMIT = 50;

export interface TeamFollower {
  /** The last health the team relay answered; null before the first answer or while unreachable. */
  health(): Health | null;
  /** Why the last health poll failed; null when it answered. */
  problem(): string | null;
  onHealth(listener: () => void): () => void;
  /** New error-feed entries, oldest first (the first poll only sets the baseline). */
  onError(listener: (entry: ErrorEntry) => void): () => void;
  /** Alert transitions; `initial` for what already stood at the first poll (count it, do not notify). */
  onAlert(listener: (entry: AlertEntry, initial: boolean) => void): () => void;
  /** One round now (also what the timer runs). */
  poll(): Promise<void>;
  stop(): void;
}

export interface TeamFollowerDeps {
  request: (req: TeamHttpRequest) => Promise<TeamHttpResponse>;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
}

function listeners<A extends unknown[]>() {
  const set = new Set<(...args: A) => void>();
  return {
    add(l: (...args: A) => void) {
      set.add(l);
      return () => void set.delete(l);
    },
    emit(...args: A) {
      for (const l of set) l(...args);
    },
  };
}

async function getJson<T>(deps: TeamFollowerDeps, path: string): Promise<T | null> {
  const answer = await deps.request({ method: 'GET', path });
  if (answer.status === 401 || answer.status === 403) return null; // signed out: health still works
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}`);
  return JSON.parse(answer.body) as T;
}

export function createTeamFollower(deps: TeamFollowerDeps): TeamFollower {
  const intervalMs = deps.intervalMs ?? TEAM_POLL_MS;
  const healthChanged = listeners<[]>();
  const errors = listeners<[ErrorEntry]>();
  const alerts = listeners<[AlertEntry, boolean]>();
  let health: Health | null = null;
  let problem: string | null = null;
  let lastErrorId: number | null = null;
  let alertStates: Map<number, string> | null = null;
  let timer: { cancel(): void } | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;

  async function pollHealth() {
    const before = JSON.stringify([health, problem]);
    try {
      const answer = await deps.request({ method: 'GET', path: '/relay/health' });
      if (answer.status !== 200) throw new Error(`the team relay answered ${answer.status}`);
      health = JSON.parse(answer.body) as Health;
      problem = null;
    } catch (e) {
      health = null;
      problem = describeError(e);
    }
    if (JSON.stringify([health, problem]) !== before) healthChanged.emit();
  }

  async function pollErrors() {
    const page = await getJson<{ errors: ErrorEntry[] }>(deps, `/admin/errors?limit=${FEED_LIMIT}`);
    if (!page) return;
    const ids = page.errors.map((e) => e.id);
    const newest = ids.length ? Math.max(...ids) : 0;
    if (lastErrorId !== null) {
      const fresh = page.errors.filter((e) => e.id > lastErrorId!).sort((a, b) => a.id - b.id);
      for (const entry of fresh) errors.emit(entry);
    }
    lastErrorId = Math.max(lastErrorId ?? 0, newest);
  }

  async function pollAlerts() {
    const page = await getJson<{ alerts: AlertEntry[] }>(deps, `/admin/alerts?limit=${FEED_LIMIT}`);
    if (!page) return;
    const initial = alertStates === null;
    const seen = alertStates ?? new Map<number, string>();
    for (const entry of [...page.alerts].sort((a, b) => a.id - b.id)) {
      const key = `${entry.state}/${entry.acknowledgedAt ?? ''}`;
      if (seen.get(entry.id) === key) continue;
      seen.set(entry.id, key);
      alerts.emit(entry, initial);
    }
    alertStates = seen;
  }

  async function round() {
    await pollHealth();
    if (health === null) return;
    // The feeds need the session; a relay that lost it still shows its health.
    for (const step of [pollErrors, pollAlerts]) {
      try {
        await step();
      } catch (e) {
        deps.logger.warn('team relay feed poll failed', { error: describeError(e) });
      }
    }
  }

  const poll = () => {
    running ??= round().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    timer = deps.clock.setTimeout(() => {
      void poll().finally(schedule);
    }, intervalMs);
  };
  void poll().finally(schedule);

  return {
    health: () => health,
    problem: () => problem,
    onHealth: healthChanged.add,
    onError: errors.add,
    onAlert: alerts.add,
    poll,
    stop() {
      stopped = true;
      timer?.cancel();
    },
  };
}
