// The desktop bridge: what the preload exposes on `window.relayDesktop`.
import type { AdminOperations } from './admin-operations.js';
import type { RelayFrame } from './api-types.js';

/** Channels the main process pushes to the renderer. */
export const IPC_EVENTS = {
  frame: 'relay:event:frame',
  navigate: 'relay:event:navigate',
} as const;

/** Desktop-only operations (settings, shell actions) beside the admin operations. */
export interface DesktopSettingsView {
  pbxUrl: string;
  clientId: string;
  hasClientSecret: boolean;
  cdrDbUrl: string;
  hasCdrPassword: boolean;
  pbxIniPath: string;
  relayPort: number;
  autostart: boolean;
}
export interface DesktopSettingsInput {
  pbxUrl?: string;
  clientId?: string;
  /** Write-only: sent to be stored in the keychain, never read back. */
  clientSecret?: string;
  cdrDbUrl?: string;
  cdrPassword?: string;
  pbxIniPath?: string;
  relayPort?: number;
  autostart?: boolean;
}
export interface ConnectionTestResult {
  component: 'xapi' | 'callcontrol' | 'database';
  ok: boolean;
  latencyMs: number | null;
  message: string;
}

export interface DesktopOperations {
  getSettings(): Promise<DesktopSettingsView>;
  saveSettings(input: DesktopSettingsInput): Promise<DesktopSettingsView>;
  testConnection(input: DesktopSettingsInput): Promise<ConnectionTestResult[]>;
  startDemo(): Promise<void>;
  openLogsFolder(): Promise<void>;
  relayUrl(): Promise<string>;
}

export const DESKTOP_OPERATION_NAMES = [
  'getSettings', 'saveSettings', 'testConnection', 'startDemo', 'openLogsFolder', 'relayUrl',
] as const satisfies readonly (keyof DesktopOperations)[];
type Missing = Exclude<keyof DesktopOperations, (typeof DESKTOP_OPERATION_NAMES)[number]>;
const _allListed: Missing extends never ? true : ['missing from DESKTOP_OPERATION_NAMES', Missing] = true;
void _allListed;

/** `window.relayDesktop`, exactly. */
export interface DesktopBridge {
  invoke<K extends keyof AdminOperations>(op: K, ...args: Parameters<AdminOperations[K]>): ReturnType<AdminOperations[K]>;
  desktop<K extends keyof DesktopOperations>(op: K, ...args: Parameters<DesktopOperations[K]>): ReturnType<DesktopOperations[K]>;
  onFrame(listener: (frame: RelayFrame) => void): () => void;
  onNavigate(listener: (page: string) => void): () => void;
}
