// Picks the transport: inside the desktop app, the main process says which
// (its own relay over the preload bridge, or a team relay over the HTTP
// client, per Settings); in a browser, the relay's admin HTTP API on the
// page's own origin.
import type { DesktopBridge } from '../../relay/contract/ipc-channels.js';
import type { RelayClient } from './relay-client.js';
import { createIpcClient, desktopOperations } from './ipc-client.js';
import { HttpRelayClient } from './http-client.js';
import { browserSessionTokens } from './session-tokens.js';
import { TeamRelayClient } from './team-client.js';

declare global {
  interface Window {
    relayDesktop?: DesktopBridge;
  }
}

export async function createRelayClient(win: Window): Promise<RelayClient> {
  const bridge = win.relayDesktop;
  if (!bridge) return new HttpRelayClient({ baseUrl: win.location.origin, tokens: browserSessionTokens(win) });
  const desktop = desktopOperations(bridge);
  // Should the shell not answer, the window still opens on the own relay's client (its pages say what fails).
  const mode = await desktop.clientMode().catch(() => ({ mode: 'own' as const }));
  if (mode.mode === 'team') return new TeamRelayClient({ bridge, desktop, origin: mode.url });
  return createIpcClient(bridge);
}
