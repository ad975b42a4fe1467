// Keeps the tray icon, tooltip and menu in step with the relay: on every
// connection change and start/pause, plus a slow refresh as a safety net
// for changes that arrive without a frame.
import type { MenuItemConstructorOptions } from 'electron';
import type { Clock } from '../../relay/core/clock.js';
import type { RelayHost } from '../relay/relay-host.js';
import { createFiringAlerts } from './firing-alerts.js';
import { buildTrayMenu, type TrayActions } from './tray-menu.js';
import { trayStateFor, type TrayIcon, type TrayState } from './tray-state.js';

/** The part of Electron's Tray used here. */
export interface TrayLike<Image, MenuT> {
  setImage(image: Image): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: MenuT | null): void;
}

export const TRAY_REFRESH_MS = 15_000;

export function createTrayController<Image, MenuT>(deps: {
  tray: TrayLike<Image, MenuT>;
  icons: Record<TrayIcon, Image>;
  buildMenu: (template: MenuItemConstructorOptions[]) => MenuT;
  relay: Pick<RelayHost, 'health' | 'isRunning' | 'url' | 'onFrame' | 'onRunningChange' | 'onAlert'> & {
    /** Team mode: why the team relay did not answer (see electron/team/tray-source.ts). */
    problem?: () => string | null;
  };
  actions: TrayActions;
  clock: Clock;
  productName: string;
}): { refresh(): void; stop(): void } {
  let shown: { state: TrayState; paused: boolean; url: string | null } | null = null;
  let timer: { cancel(): void } | null = null;
  let stopped = false;
  const alerts = createFiringAlerts();

  const refresh = () => {
    if (stopped) return;
    const paused = !deps.relay.isRunning();
    const url = deps.relay.url();
    const state = trayStateFor(deps.relay.health(), { paused, productName: deps.productName, alerts: { count: alerts.count, latest: alerts.latest }, unreachable: deps.relay.problem?.() ?? null });
    if (shown && shown.state.icon === state.icon && shown.state.tooltip === state.tooltip && shown.paused === paused && shown.url === url) return;
    if (shown?.state.icon !== state.icon) deps.tray.setImage(deps.icons[state.icon]);
    deps.tray.setToolTip(state.tooltip);
    deps.tray.setContextMenu(deps.buildMenu(buildTrayMenu({ paused, relayUrl: url, statusLine: state.tooltip }, deps.actions)));
    shown = { state, paused, url };
  };

  const schedule = () => {
    timer = deps.clock.setTimeout(() => {
      refresh();
      if (!stopped) schedule();
    }, TRAY_REFRESH_MS);
  };

  const offFrame = deps.relay.onFrame((f) => {
    if (f.type === 'connection_state' || f.type === 'hello') refresh();
  });
  const offRunning = deps.relay.onRunningChange((running) => {
    // A restarted relay announces what still fires again; what was counted before is gone.
    if (!running) alerts.clear();
    refresh();
  });
  const offAlert = deps.relay.onAlert((entry) => {
    if (alerts.offer(entry)) refresh();
  });
  refresh();
  schedule();

  return {
    refresh,
    stop() {
      stopped = true;
      timer?.cancel();
      offFrame();
      offRunning();
      offAlert();
    },
  };
}
