// The relay's one composition root: builds store, auth, upstream clients,
// monitor, event hub, HTTP + WebSocket server from one config. The headless
// CLI and the Electron main process both call createRelayService.
import type { AdminOperations } from './contract/admin-operations.js';
import type { AdminUser, ErrorEntry, Health, RelayFrame } from './contract/api-types.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';

export interface PbxConfig { baseUrl: string; clientId: string; clientSecret: string }
export type CdrConfig = { url: string } | { iniPath: string; iniSection?: string };

export interface RelayConfig {
  host: string;
  port: number;
  pbx?: PbxConfig;
  cdr?: CdrConfig;
  /** Where the embedded store lives; required unless storeUrl is set. */
  dataDir?: string;
  /** postgres://… to keep the relay's own tables on a PostgreSQL server. */
  storeUrl?: string;
  /** Extra browser origins allowed besides the relay's own. */
  allowedOrigins: string[];
  /** Extra Host names allowed besides 127.0.0.1, localhost, [::1]. */
  allowedHostNames: string[];
  /** Built dashboard; default renderer/dist when it exists. */
  dashboardDir?: string;
  /** First-start admin password (RELAY_ADMIN_PASSWORD). */
  adminPassword?: string;
  demo?: boolean;
  version: string;
}

export interface CsvExportProgress { rows: number; fraction: number }

export interface RelayService {
  /** Listening URL, and the one-time admin password if one was generated. */
  start(): Promise<{ url: string; bootstrapPassword?: string }>;
  /** In-flight requests finish, sockets closed, store closed, within 5 s. */
  stop(): Promise<void>;
  /** Acting as the local admin (desktop IPC). */
  readonly admin: AdminOperations;
  /** Role-checked operations for a signed-in user (HTTP admin routes). */
  adminAs(user: AdminUser): AdminOperations;
  exportCdrCsv(
    range: { from: string; to: string },
    out: NodeJS.WritableStream,
    onProgress?: (p: CsvExportProgress) => void,
  ): Promise<{ rows: number }>;
  /** Every frame, admin frames (error_logged) included: for desktop IPC forwarding. */
  onFrame(listener: (frame: RelayFrame) => void): () => void;
  /** Error-feed entries (isNew = false when an existing entry repeated): for tray notifications. */
  onError(listener: (entry: ErrorEntry, isNew: boolean) => void): () => void;
  health(): Health;
  /** Settings saved in the desktop app: restarts the affected upstream clients. */
  reconfigure(partial: Partial<Pick<RelayConfig, 'pbx' | 'cdr'>>): Promise<void>;
}

export interface RelayServiceDeps { logger: Logger; clock?: Clock }

export function createRelayService(_config: RelayConfig, _deps: RelayServiceDeps): RelayService {
  // Interface published first so the desktop shell and renderer can build
  // against it; the composition lands in the next commit.
  throw new Error('createRelayService: composition not landed yet');
}
