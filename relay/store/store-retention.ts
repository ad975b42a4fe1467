// Retention: what the relay deletes so its tables stay bounded. The owner of
// the periodic timer (the composition root) calls pruneStore, e.g. hourly.
import { localDay } from '../core/local-day.js';
import { DAY_MS } from '../core/time-units.js';
import type { StoreRepositories } from './store-repositories.js';
import { isoAt } from './store-schema.js';

export interface RetentionPolicy {
  /** api_requests older than this many days; default 30. */
  requestDays?: number;
  /** connection_status_history rows kept per component; default 1000. */
  historyPerComponent?: number;
  /** Acknowledged error_log entries last seen more than this many days ago; default 90. */
  acknowledgedErrorDays?: number;
  /** daily_counts days kept; default 400. */
  dailyCountDays?: number;
  /** Cleared alert_history entries cleared more than this many days ago; default 400 (a year to compare with). */
  clearedAlertDays?: number;
}

export interface PruneResult {
  requests: number;
  history: number;
  errors: number;
  dailyCounts: number;
  sessions: number;
  alerts: number;
}


export async function pruneStore(repos: StoreRepositories, now: number, policy: RetentionPolicy = {}): Promise<PruneResult> {
  return {
    requests: await repos.apiRequests.pruneBefore(isoAt(now - (policy.requestDays ?? 30) * DAY_MS)),
    history: await repos.connections.pruneBeyond(policy.historyPerComponent ?? 1000),
    errors: await repos.errors.pruneAcknowledgedBefore(isoAt(now - (policy.acknowledgedErrorDays ?? 90) * DAY_MS)),
    dailyCounts: await repos.dailyCounts.pruneBefore(localDay(now - (policy.dailyCountDays ?? 400) * DAY_MS)),
    sessions: await repos.sessions.deleteExpired(isoAt(now)),
    alerts: await repos.alertHistory.pruneClearedBefore(isoAt(now - (policy.clearedAlertDays ?? 400) * DAY_MS)),
  };
}
