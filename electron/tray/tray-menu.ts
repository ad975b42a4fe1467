// The tray's context menu as data (Electron's MenuItemConstructorOptions), so
// its items and their enabled states are tested without a Tray.
import type { MenuItemConstructorOptions } from 'electron';

export interface TrayActions {
  openDashboard(): void;
  copyRelayUrl(): void;
  pause(): void;
  resume(): void;
  quit(): void;
}

export function buildTrayMenu(state: { paused: boolean; relayUrl: string | null; statusLine: string }, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { id: 'status', label: state.statusLine, enabled: false },
    { type: 'separator' },
    { id: 'open', label: 'Open dashboard', click: () => actions.openDashboard() },
    {
      id: 'copy-url',
      label: state.relayUrl ? `Copy relay URL (${state.relayUrl})` : 'Copy relay URL',
      enabled: state.relayUrl !== null && !state.paused,
      click: () => actions.copyRelayUrl(),
    },
    state.paused
      ? { id: 'resume', label: 'Resume relay', click: () => actions.resume() }
      : { id: 'pause', label: 'Pause relay', click: () => actions.pause() },
    { type: 'separator' },
    { id: 'quit', label: 'Quit', click: () => actions.quit() },
  ];
}
