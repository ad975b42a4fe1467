// The desktop bridge: what the preload exposes on `window.relayDesktop`.
import type { AdminOperations } from './admin-operations.js';
import type { ApiErrorBody, RelayFrame } from './api-types.js';
import type { ClientModeView, ModeChangeResult, TeamHttpRequest, TeamHttpResponse, TeamSettingsView, TeamSignInInput } from './ipc-team.js';

/** Channels the main process pushes to the renderer. */
export const IPC_EVENTS = {
  frame: 'relay:event:frame',
  navigate: 'relay:event:navigate',
  /** Progress of a running `exportCdrCsv`. */
  exportProgress: 'relay:event:export-progress',
} as const;

/** Rows written so far; `fraction` 0..1 of the requested range covered (rows come newest first). */
export interface ExportProgress { rows: number; fraction: number }

/** Desktop-only operations (settings, shell actions) beside the admin operations. */
export interface DesktopSettingsView {
  pbxUrl: string;
  clientId: string;
  hasClientSecret: boolean;
  cdrDbUrl: string;
  hasCdrPassword: boolean;
  pbxIniPath: string;
  /** 3CXPhoneSystem.ini section names when not 3CX's defaults ('' = default). */
  pbxIniSections?: Partial<IniSectionNamesView>;
  relayPort: number;
  autostart: boolean;
  /**
   * Where secrets are kept: the OS keychain, an encrypted file (Electron safeStorage), or only in
   * memory for this session (no secure store on this machine: the person re-enters them each start).
   */
  secretStorage?: 'keychain' | 'encrypted-file' | 'session-only';
  /** Why the OS keychain is not used (e.g. the optional keytar package is not installed); absent when it is. */
  keychainUnavailable?: string;
  /** True while the relay runs against the built-in 3CX simulator ("Try the demo PBX"). */
  demo?: boolean;
}
export interface DesktopSettingsInput {
  pbxUrl?: string;
  clientId?: string;
  /** Write-only: sent to be stored in the keychain, never read back. */
  clientSecret?: string;
  cdrDbUrl?: string;
  cdrPassword?: string;
  pbxIniPath?: string;
  pbxIniSections?: Partial<IniSectionNamesView>;
  relayPort?: number;
  autostart?: boolean;
}
/** [CfgServerProfile], [QMDatabase] and [DbAdminREADONLY] under the names this PBX uses. */
export interface IniSectionNamesView {
  server: string;
  database: string;
  readonly: string;
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
  /** Asks where to save (native dialog), streams the range as CSV there; null if the person cancelled. */
  exportCdrCsv(range: { from: string; to: string }): Promise<{ path: string; rows: number } | null>;
  /** Which client the renderer uses: its own relay over IPC, or a team relay over HTTP (ipc-team.ts). */
  clientMode(): Promise<ClientModeView>;
  teamSettings(): Promise<TeamSettingsView>;
  /** Signs in to a team relay (tokens kept in the keychain) and switches the desktop to it. */
  teamSignIn(input: TeamSignInInput): Promise<ModeChangeResult>;
  /** Leaves the team relay (signs out) and starts the desktop's own relay again. */
  useOwnRelay(): Promise<ModeChangeResult>;
  /** The renderer's HTTP client, sent to the team relay by the main process with the session it holds. */
  teamRequest(request: TeamHttpRequest): Promise<TeamHttpResponse>;
}

export const DESKTOP_OPERATION_NAMES = [
  'getSettings', 'saveSettings', 'testConnection', 'startDemo', 'openLogsFolder', 'relayUrl', 'exportCdrCsv',
  'clientMode', 'teamSettings', 'teamSignIn', 'useOwnRelay', 'teamRequest',
] as const satisfies readonly (keyof DesktopOperations)[];
export type DesktopOperationName = (typeof DESKTOP_OPERATION_NAMES)[number];
type Missing = Exclude<keyof DesktopOperations, (typeof DESKTOP_OPERATION_NAMES)[number]>;
const _allListed: Missing extends never ? true : ['missing from DESKTOP_OPERATION_NAMES', Missing] = true;
void _allListed;

/** Desktop operation -> IPC channel (admin operations use `ipcChannel` from admin-operations.ts). */
export const desktopChannel = (op: DesktopOperationName): string => `relay:desktop:${op}`;

/**
 * What an invoke handler returns over IPC. Errors travel as values because Electron flattens a
 * thrown Error into a string; the preload unwraps this and rejects with the `ApiErrorBody`.
 */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/**
 * `window.relayDesktop`, exactly. `invoke` and `desktop` reject with a plain `ApiErrorBody`
 * (`{error, code}`, the same body the HTTP API sends), never an Error instance.
 */
export interface DesktopBridge {
  invoke<K extends keyof AdminOperations>(op: K, ...args: Parameters<AdminOperations[K]>): ReturnType<AdminOperations[K]>;
  desktop<K extends keyof DesktopOperations>(op: K, ...args: Parameters<DesktopOperations[K]>): ReturnType<DesktopOperations[K]>;
  onFrame(listener: (frame: RelayFrame) => void): () => void;
  onNavigate(listener: (page: string) => void): () => void;
  onExportProgress(listener: (progress: ExportProgress) => void): () => void;
}
