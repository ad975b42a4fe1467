// The desktop's alert decisions, with fakes for Electron's parts: which
// alerts pop up (fired, not silenced), at most one per rule per window with a
// summary, the click opening the Alerts page, and the tray counting firing
// alerts until they clear or are acknowledged.
import { describe, expect, it } from 'vitest';
import { ALERTS_PAGE, createAlertNotifier, type AlertNotice } from '../../../electron/notifications/alert-notices.js';
import { createNotificationPresenter, ERRORS_PAGE } from '../../../electron/notifications/notification-presenter.js';
import { createFiringAlerts } from '../../../electron/tray/firing-alerts.js';
import { createTrayController } from '../../../electron/tray/tray-controller.js';
import { trayStateFor } from '../../../electron/tray/tray-state.js';
import type { Health } from '../../../relay/contract/api-types.js';
import type { AlertEntry } from '../../../relay/contract/supervisor-types.js';
import { ManualClock } from '../../support/manual-clock.js';

function alert(over: Partial<AlertEntry> = {}): AlertEntry {
  return {
    id: 1, ruleId: 10, rule: 'Sales waiting', severity: 'warning', state: 'fired', message: 'queue Sales (800): 6 calls waiting (more than 5)',
    firedAt: '2026-11-02T09:00:00.000Z', clearedAt: null, acknowledgedBy: null, acknowledgedAt: null, silenced: false, ...over,
  };
}

const since = '2026-11-02T09:00:00.000Z';
const okHealth: Health = {
  status: 'ok', version: '0.1.0', uptimeS: 5,
  components: Object.fromEntries(['xapi', 'callcontrol', 'database'].map((c) => [c, { state: 'connected', latencyMs: 1, lastError: null, since }])) as Health['components'],
};

describe('alert notifications', () => {
  it('shows a fired alert, not a silenced one, a clearing or an acknowledgement', () => {
    const clock = new ManualClock();
    const shown: AlertNotice[] = [];
    const n = createAlertNotifier({ clock, notify: (x) => shown.push(x) });
    n.offer(alert({ id: 1, ruleId: 1, silenced: true }));
    n.offer(alert({ id: 2, ruleId: 2, state: 'cleared' }));
    n.offer(alert({ id: 3, ruleId: 3, state: 'acknowledged' }));
    expect(shown).toEqual([]);
    n.offer(alert({ id: 4, ruleId: 4, severity: 'critical' }));
    expect(shown).toEqual([{ title: 'Critical alert: Sales waiting', body: 'queue Sales (800): 6 calls waiting (more than 5)', severity: 'critical', page: ALERTS_PAGE, count: 1, alertId: 4 }]);
  });

  it('one notification per rule per window; repeats are summed up when it ends; other rules are not held back', () => {
    const clock = new ManualClock();
    const shown: AlertNotice[] = [];
    const n = createAlertNotifier({ clock, notify: (x) => shown.push(x), windowMs: 60_000 });
    n.offer(alert({ id: 1 }));
    clock.advance(10_000);
    n.offer(alert({ id: 2 }));
    n.offer(alert({ id: 3, message: 'queue Sales (800): 9 calls waiting (more than 5)' }));
    n.offer(alert({ id: 4, ruleId: 11, rule: 'Trunks' }));
    expect(shown.map((s) => s.alertId)).toEqual([1, 4]);
    clock.advance(50_000);
    expect(shown.at(-1)).toMatchObject({ title: 'Alert: Sales waiting fired 2 more times', body: 'Latest: queue Sales (800): 9 calls waiting (more than 5)', count: 2, alertId: 3 });
    n.offer(alert({ id: 5 }));
    expect(shown).toHaveLength(3);
    n.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a click opens the page the notice names: Alerts for alerts, Errors for error-feed notices', () => {
    const opened: string[] = [];
    const clicks: (() => void)[] = [];
    const presenter = createNotificationPresenter({
      create: () => ({ on: (event, l) => void (event === 'click' && clicks.push(l)), show: () => undefined }),
      isSupported: () => true,
      openPage: (p) => opened.push(p),
    });
    presenter.show({ title: 'a', body: 'b', severity: 'warning', page: ALERTS_PAGE, count: 1, alertId: 1 });
    presenter.show({ title: 'e', body: 'f', severity: 'error', component: 'xapi', count: 1, entryId: 1 });
    for (const c of clicks) c();
    expect(opened).toEqual([ALERTS_PAGE, ERRORS_PAGE]);
  });
});

describe('firing alerts in the tray', () => {
  it('counts fired, unsilenced alerts until they clear or are acknowledged', () => {
    const f = createFiringAlerts();
    expect(f.offer(alert({ id: 1, silenced: true }))).toBe(false);
    expect(f.offer(alert({ id: 2 }))).toBe(true);
    expect(f.offer(alert({ id: 3, rule: 'Trunks', message: '1 of 2 trunks not registered' }))).toBe(true);
    expect([f.count, f.latest]).toEqual([2, 'Trunks: 1 of 2 trunks not registered']);
    expect(f.offer(alert({ id: 3, state: 'acknowledged' }))).toBe(true);
    expect(f.offer(alert({ id: 2, state: 'cleared' }))).toBe(true);
    expect(f.offer(alert({ id: 2, state: 'cleared' }))).toBe(false);
    expect([f.count, f.latest]).toEqual([0, null]);
  });

  it('the tooltip names them after the health', () => {
    expect(trayStateFor(okHealth, { paused: false, productName: 'Relay', alerts: { count: 1, latest: 'Trunks: 1 of 2 trunks not registered' } }).tooltip)
      .toBe('Relay: all connected · alert: Trunks: 1 of 2 trunks not registered');
    expect(trayStateFor(okHealth, { paused: false, productName: 'Relay', alerts: { count: 2, latest: 'Trunks: x' } }).tooltip)
      .toBe('Relay: all connected · 2 alerts, latest: Trunks: x');
    expect(trayStateFor(okHealth, { paused: false, productName: 'Relay', alerts: { count: 0, latest: null } }).tooltip).toBe('Relay: all connected');
  });

  it('the tray controller refreshes on each alert and forgets them when the relay stops', () => {
    const tooltips: string[] = [];
    const alertListeners = new Set<(e: AlertEntry) => void>();
    const runningListeners = new Set<(r: boolean) => void>();
    let running = true;
    const clock = new ManualClock();
    const controller = createTrayController({
      tray: { setImage: () => undefined, setToolTip: (t) => tooltips.push(t), setContextMenu: () => undefined },
      icons: { ok: 'ok', degraded: 'degraded', down: 'down' },
      buildMenu: () => null,
      relay: {
        health: () => okHealth, isRunning: () => running, url: () => null,
        onFrame: () => () => undefined,
        onRunningChange: (l) => { runningListeners.add(l); return () => runningListeners.delete(l); },
        onAlert: (l) => { alertListeners.add(l); return () => alertListeners.delete(l); },
      },
      actions: { openDashboard() {}, copyRelayUrl() {}, pause() {}, resume() {}, quit() {} },
      clock, productName: 'Relay',
    });
    for (const l of alertListeners) l(alert({ id: 7, rule: 'Trunks', message: 'down' }));
    expect(tooltips.at(-1)).toBe('Relay: all connected · alert: Trunks: down');
    for (const l of alertListeners) l(alert({ id: 8, silenced: true }));
    expect(tooltips).toHaveLength(2);
    running = false;
    for (const l of runningListeners) l(false);
    running = true;
    for (const l of runningListeners) l(true);
    expect(tooltips.at(-1)).toBe('Relay: all connected');
    controller.stop();
    expect(alertListeners.size).toBe(0);
  });
});
