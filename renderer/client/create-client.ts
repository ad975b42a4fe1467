// Picks the transport: the preload bridge inside the desktop app, otherwise
// the relay's admin HTTP API on the page's own origin.
import type { DesktopBridge } from '../../relay/contract/ipc-channels.js';
import type { RelayClient } from './relay-client.js';
import { createIpcClient } from './ipc-client.js';
import { HttpRelayClient } from './http-client.js';
import { browserSessionTokens } from './session-tokens.js';

declare global {
  interface Window {
    relayDesktop?: DesktopBridge;
  }
}

export function createRelayClient(win: Window): RelayClient {
  if (win.relayDesktop) return createIpcClient(win.relayDesktop);
  return new HttpRelayClient({ baseUrl: win.location.origin, tokens: browserSessionTokens(win) });
}
