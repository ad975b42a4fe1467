// The one interface every page talks to. Two implementations: over the
// Electron preload bridge (ipc-client.ts) and over the relay's admin HTTP API
// plus its WebSocket (http-client.ts). Same admin operations either way; the
// contract's AdminOperations keeps both in step with the relay.
import type { AdminOperations } from '../../relay/contract/admin-operations.js';
import type { AdminUser, RelayFrame } from '../../relay/contract/api-types.js';
import type { DesktopOperations, ExportProgress } from '../../relay/contract/ipc-channels.js';
import type { SupervisorOperations } from './supervisor-operations.js';

export type ClientMode = 'ipc' | 'http';

/** State of the live frame link: `connecting` before the first frame socket is up. */
export type LinkState = 'connecting' | 'live' | 'reconnecting';

export interface CdrRange { from: string; to: string }

export interface CsvExportResult {
  rows: number;
  /** Where the file went: a path (desktop) or the download's file name (browser). */
  savedAs: string;
}

export interface RelayClient extends AdminOperations {
  readonly mode: ClientMode;
  readonly linkState: LinkState;
  /** Desktop-only operations (settings, demo); null in a browser. */
  readonly desktop: DesktopOperations | null;
  /** Queues, agents, PBX health and alerts; null when this relay does not serve them. */
  readonly supervisor: SupervisorOperations | null;
  /** Opens the live link (HTTP: the WebSocket). Idempotent. */
  startLive(): void;
  /** Closes the live link and its timers. */
  stopLive(): void;
  subscribe(listener: (frame: RelayFrame) => void): () => void;
  onLinkState(listener: (state: LinkState) => void): () => void;
  /** The desktop shell asks to show a page (e.g. `errors` from a notification). */
  onNavigate(listener: (page: string) => void): () => void;
  /** The relay no longer knows this session (HTTP 401): show the login page. */
  onSignedOut(listener: () => void): () => void;
  /** HTTP only; the desktop person is the local admin without a login. */
  login(username: string, password: string): Promise<AdminUser>;
  logout(): Promise<void>;
  /** One's own password; the relay asks for the current one (HTTP) before changing it. */
  changeOwnPassword(username: string, currentPassword: string, newPassword: string): Promise<void>;
  /** Streams every row of the range to a file; null when the person cancelled. */
  exportCdrCsv(range: CdrRange, onProgress: (p: ExportProgress) => void): Promise<CsvExportResult | null>;
}
