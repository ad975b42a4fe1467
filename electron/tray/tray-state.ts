// What the tray shows for a relay health: one of three icons and a short
// tooltip naming what is wrong. Pure: health in, picture out.
import type { ComponentName, Health } from '../../relay/contract/api-types.js';
import { COMPONENTS } from '../../relay/contract/api-types.js';

export type TrayIcon = 'ok' | 'degraded' | 'down';
export interface TrayState { icon: TrayIcon; tooltip: string }

const LABEL: Record<ComponentName, string> = { xapi: '3CX API', callcontrol: 'Call Control', database: 'Call records DB' };
/** Windows cuts tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;

/** Firing alerts (see firing-alerts.ts): named in the tooltip after the health. */
export interface TrayAlerts { count: number; latest: string | null }

/** `unreachable`: why the team relay this desktop follows did not answer (team mode), shown instead of "starting". */
export function trayStateFor(health: Health | null, opts: { paused: boolean; productName?: string; alerts?: TrayAlerts; unreachable?: string | null }): TrayState {
  const name = opts.productName ?? '3CX Relay';
  if (opts.paused) return { icon: 'down', tooltip: `${name}: paused` };
  if (!health && opts.unreachable) return clip({ icon: 'down', tooltip: `${name}: team relay unreachable — ${opts.unreachable}` });
  if (!health) return { icon: 'down', tooltip: `${name}: starting…` };

  const icon: TrayIcon = health.status;
  const headline = { ok: 'all connected', degraded: 'degraded', down: 'down' }[health.status];
  const problems = COMPONENTS
    .filter((c) => health.components[c].state !== 'connected')
    .map((c) => `${LABEL[c]} ${health.components[c].state}`);
  const alerts = opts.alerts?.count
    ? ` · ${opts.alerts.count === 1 ? `alert: ${opts.alerts.latest ?? ''}` : `${opts.alerts.count} alerts, latest: ${opts.alerts.latest ?? ''}`}`
    : '';
  const tooltip = (problems.length ? `${name}: ${headline} — ${problems.join(', ')}` : `${name}: ${headline}`) + alerts;
  return clip({ icon, tooltip });
}

function clip(state: TrayState): TrayState {
  const { tooltip } = state;
  return { icon: state.icon, tooltip: tooltip.length > TOOLTIP_MAX ? `${tooltip.slice(0, TOOLTIP_MAX - 1)}…` : tooltip };
}
