import { describe, expect, it } from 'vitest';
import { createTrayController } from '../../../electron/tray/tray-controller.js';
import { buildTrayMenu } from '../../../electron/tray/tray-menu.js';
import { TOOLTIP_MAX, trayStateFor } from '../../../electron/tray/tray-state.js';
import type { ComponentHealth, ComponentState, Health, RelayFrame, RelayStatus } from '../../../relay/contract/api-types.js';
import { ManualClock } from '../../support/manual-clock.js';

const since = '2026-11-02T09:00:00.000Z';
function health(status: RelayStatus, states: Partial<Record<'xapi' | 'callcontrol' | 'database', ComponentState>> = {}, lastError: string | null = null): Health {
  const c = (state: ComponentState): ComponentHealth => ({ state, latencyMs: state === 'connected' ? 12 : null, lastError: state === 'connected' ? null : lastError, since });
  return {
    status, version: '0.1.0', uptimeS: 5,
    components: { xapi: c(states.xapi ?? 'connected'), callcontrol: c(states.callcontrol ?? 'connected'), database: c(states.database ?? 'connected') },
  };
}

describe('trayStateFor', () => {
  it('ok when the relay says ok', () => {
    expect(trayStateFor(health('ok'), { paused: false })).toEqual({ icon: 'ok', tooltip: '3CX Relay: all connected' });
  });

  it('degraded names the components that are not connected', () => {
    const s = trayStateFor(health('degraded', { callcontrol: 'connecting', database: 'unconfigured' }), { paused: false });
    expect(s.icon).toBe('degraded');
    expect(s.tooltip).toBe('3CX Relay: degraded — Call Control connecting, Call records DB unconfigured');
  });

  it('down when the relay says down', () => {
    const s = trayStateFor(health('down', { xapi: 'error', callcontrol: 'error', database: 'error' }), { paused: false, productName: 'Relay' });
    expect(s.icon).toBe('down');
    expect(s.tooltip).toBe('Relay: down — 3CX API error, Call Control error, Call records DB error');
  });

  it('down while paused or not yet started, whatever the last health was', () => {
    expect(trayStateFor(health('ok'), { paused: true })).toEqual({ icon: 'down', tooltip: '3CX Relay: paused' });
    expect(trayStateFor(null, { paused: false })).toEqual({ icon: 'down', tooltip: '3CX Relay: starting…' });
  });

  it('keeps the tooltip within the Windows limit', () => {
    const s = trayStateFor(health('down', { xapi: 'disconnected', callcontrol: 'disconnected', database: 'disconnected' }), {
      paused: false, productName: 'A very long product name for a relay companion application',
    });
    expect(s.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(s.tooltip.endsWith('…')).toBe(true);
  });
});

describe('buildTrayMenu', () => {
  const calls: string[] = [];
  const actions = {
    openDashboard: () => calls.push('open'), copyRelayUrl: () => calls.push('copy'),
    pause: () => calls.push('pause'), resume: () => calls.push('resume'), quit: () => calls.push('quit'),
  };
  const click = (items: ReturnType<typeof buildTrayMenu>, id: string) =>
    (items.find((i) => i.id === id)!.click as () => void)();

  it('running: open, copy URL, pause, quit', () => {
    const items = buildTrayMenu({ paused: false, relayUrl: 'http://127.0.0.1:8082', statusLine: 'ok' }, actions);
    expect(items.filter((i) => i.id).map((i) => i.id)).toEqual(['status', 'open', 'copy-url', 'pause', 'quit']);
    expect(items.find((i) => i.id === 'copy-url')).toMatchObject({ enabled: true, label: 'Copy relay URL (http://127.0.0.1:8082)' });
    for (const id of ['open', 'copy-url', 'pause', 'quit']) click(items, id);
    expect(calls.splice(0)).toEqual(['open', 'copy', 'pause', 'quit']);
  });

  it('paused: resume instead of pause, copy disabled', () => {
    const items = buildTrayMenu({ paused: true, relayUrl: null, statusLine: 'paused' }, actions);
    expect(items.some((i) => i.id === 'pause')).toBe(false);
    expect(items.find((i) => i.id === 'copy-url')!.enabled).toBe(false);
    click(items, 'resume');
    expect(calls.splice(0)).toEqual(['resume']);
  });
});

describe('createTrayController', () => {
  it('follows connection frames and pause/resume, and stops its timer', () => {
    let current: Health | null = health('ok');
    let running = true;
    const frameListeners = new Set<(f: RelayFrame) => void>();
    const runningListeners = new Set<(r: boolean) => void>();
    const alertListeners = new Set<() => void>();
    const shown: string[] = [];
    const tooltips: string[] = [];
    const menus: string[][] = [];
    const clock = new ManualClock();
    const controller = createTrayController({
      tray: { setImage: (i: string) => shown.push(i), setToolTip: (t) => tooltips.push(t), setContextMenu: (m: string[] | null) => menus.push(m ?? []) },
      icons: { ok: 'ok.png', degraded: 'degraded.png', down: 'down.png' },
      buildMenu: (template) => template.map((i) => i.id ?? '-'),
      relay: {
        health: () => current,
        isRunning: () => running,
        url: () => (running ? 'http://127.0.0.1:8082' : null),
        onFrame: (l) => { frameListeners.add(l); return () => frameListeners.delete(l); },
        onRunningChange: (l) => { runningListeners.add(l); return () => runningListeners.delete(l); },
        onAlert: (l) => { alertListeners.add(l as () => void); return () => alertListeners.delete(l as () => void); },
      },
      actions: { openDashboard() {}, copyRelayUrl() {}, pause() {}, resume() {}, quit() {} },
      clock,
      productName: 'Relay',
    });
    expect(shown).toEqual(['ok.png']);

    current = health('degraded', { callcontrol: 'error' });
    for (const l of frameListeners) l({ type: 'connection_state', seq: 1, at: since, data: { component: 'callcontrol', state: 'error', latencyMs: null, error: 'x' } });
    expect(shown).toEqual(['ok.png', 'degraded.png']);
    expect(tooltips.at(-1)).toBe('Relay: degraded — Call Control error');

    // A call frame changes nothing in the tray.
    for (const l of frameListeners) l({ type: 'calls', seq: 2, at: since, value: [] });
    expect(tooltips).toHaveLength(2);

    running = false;
    for (const l of runningListeners) l(false);
    expect(shown.at(-1)).toBe('down.png');
    expect(menus.at(-1)).toContain('resume');

    // The slow refresh catches a change that came without a frame.
    running = true;
    current = health('ok');
    clock.advance(15_000);
    expect(shown.at(-1)).toBe('ok.png');

    controller.stop();
    expect(clock.pendingTimers).toBe(0);
    expect(frameListeners.size + runningListeners.size + alertListeners.size).toBe(0);
  });
});
