// What the tray follows: the desktop's own relay, or in team mode the team
// relay's health and alerts as the follower polls them. The tray controller
// keeps one source for the app's life; a mode switch only changes what this
// source answers, and `changed()` tells the tray to forget the alerts it
// counted and redraw.
import type { AlertEntry } from '../../relay/contract/supervisor-types.js';
import type { RelayHost } from '../relay/relay-host.js';
import type { TeamFollower } from './team-follower.js';

type RelayView = Pick<RelayHost, 'health' | 'isRunning' | 'url' | 'onFrame' | 'onRunningChange' | 'onAlert'>;

export interface TraySource extends RelayView {
  problem(): string | null;
  /** The mode changed: the tray clears what it counted and redraws. */
  changed(): void;
  /** An alert transition from the team relay. */
  alert(entry: AlertEntry): void;
}

export function createTraySource(deps: {
  relay: RelayView;
  /** The team being followed, or null in own mode. */
  team: () => { follower: Pick<TeamFollower, 'health' | 'problem'>; origin: string } | null;
}): TraySource {
  const running = new Set<(running: boolean) => void>();
  const alerts = new Set<(entry: AlertEntry) => void>();
  const add = <T>(set: Set<T>, l: T) => {
    set.add(l);
    return () => void set.delete(l);
  };
  return {
    health: () => {
      const team = deps.team();
      return team ? team.follower.health() : deps.relay.health();
    },
    isRunning: () => (deps.team() ? true : deps.relay.isRunning()),
    url: () => deps.team()?.origin ?? deps.relay.url(),
    problem: () => deps.team()?.follower.problem() ?? null,
    onFrame: (l) => deps.relay.onFrame(l),
    onRunningChange(l) {
      const offRelay = deps.relay.onRunningChange(l);
      const off = add(running, l);
      return () => {
        offRelay();
        off();
      };
    },
    onAlert(l) {
      const offRelay = deps.relay.onAlert(l);
      const off = add(alerts, l);
      return () => {
        offRelay();
        off();
      };
    },
    // `false` makes the tray drop the alerts it counted; it then redraws from the current source.
    changed: () => running.forEach((l) => l(false)),
    alert: (entry) => alerts.forEach((l) => l(entry)),
  };
}
