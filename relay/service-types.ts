// The relay service's public shape: its configuration and the interface the
// headless CLI and the Electron main process program against. The
// implementation is createRelayService in service.ts.
import type { AdminOperations } from './contract/admin-operations.js';
import type { AdminUser, ErrorEntry, Health, RelayFrame } from './contract/api-types.js';
import type { AlertEntry } from './contract/supervisor-types.js';
import type { PasswordHasherOptions } from './auth/password-hasher.js';
import type { SignInPolicies } from './auth/sign-in-guard.js';
import type { CsvProgress } from './call-records/cdr-csv-export.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import type { ListenSecurity } from './http/security/listen-security.js';
import type { RelayWebSocketOptions } from './http/ws/relay-websocket.js';
import type { ConnectionMonitorOptions } from './monitor/connection-monitor.js';
import type { ConnectionTestResult } from './contract/ipc-channels.js';
import type { UpstreamCandidate } from './pbx/connection-test.js';
import type { CdrConfig, PbxConfig, UpstreamTuning } from './pbx/pbx-config.js';
import type { QueueCallsMappingOverride } from './pbx/queue-calls-query.js';

// The upstream clients own these shapes; the service passes them through.
export type { CdrConfig, PbxConfig };

/** Knobs tests and benchmarks turn; production uses the defaults. */
export interface RelayTuning {
  /** bcrypt cost for admin passwords (default 12). */
  bcryptCost?: number;
  /** Per-key request budget (default 60,000 per minute). */
  rateLimit?: { windowMs: number; limit: number };
  /** Password-check queue bound (default 8 per lane). */
  hasher?: PasswordHasherOptions;
  /** Sign-in budgets (default: see relay/auth/throttle-policy.ts). */
  signIn?: SignInPolicies;
  upstream?: UpstreamTuning;
  monitor?: ConnectionMonitorOptions;
  websocket?: Omit<RelayWebSocketOptions, 'policy' | 'path'>;
  /** How often the alert rules are evaluated besides on connection changes (default 5,000 ms). */
  alertIntervalMs?: number;
  /** Frames kept for `?since=` replay (default 10,000). */
  replayCapacity?: number;
  /** Request-log flush interval (default 1000 ms). */
  flushIntervalMs?: number;
  /** Demo: simulator call rate and history rows (defaults: DEMO_CALLS_PER_MINUTE and DEMO_HISTORY in demo/demo-environment.ts). */
  demoCallsPerMinute?: number;
  demoHistoryRows?: number;
  /** --demo: the 3CX release the built-in simulator plays (e.g. 20.0.9.2000; default 20.0.7). */
  demoPbxVersion?: string;
  /** Supervisor view: refresh at least every `refreshMs` (default 5 s), change-triggered at most every `minGapMs` (2 s), stale past `staleAfterMs` (3 × refresh). */
  supervisor?: {
    refreshMs?: number;
    minGapMs?: number;
    staleAfterMs?: number;
    /** Today's queue figures from the call records at most this often (default 30 s). */
    recordsIntervalMs?: number;
    /** 3CX's call-centre table and column names, over the defaults (relay/pbx/queue-calls-query.ts). */
    queueCallsMapping?: QueueCallsMappingOverride;
  };
}

export interface RelayConfig {
  host: string;
  port: number;
  pbx?: PbxConfig;
  cdr?: CdrConfig;
  /** Where the embedded store lives. Neither this nor storeUrl: a temporary store, deleted at stop (demo). */
  dataDir?: string;
  /** postgres://… to keep the relay's own tables on a PostgreSQL server. */
  storeUrl?: string;
  /** Extra browser origins allowed besides the relay's own. */
  allowedOrigins: string[];
  /** Extra Host names allowed besides 127.0.0.1, localhost, [::1]. */
  allowedHostNames: string[];
  /** Team mode: the URL other members reach this relay at (default: the listening URL, or the first allowed Host name on a wildcard address). */
  advertiseUrl?: string;
  /** TLS credentials or a trusted reverse proxy: required to listen beyond loopback (contract §7). */
  security?: ListenSecurity;
  /** Built dashboard; default renderer/dist when it exists. */
  dashboardDir?: string;
  /** First-start admin password (RELAY_ADMIN_PASSWORD). */
  adminPassword?: string;
  /** Run against the built-in simulator and a generated call-record database (pbx/cdr are ignored). */
  demo?: boolean;
  version: string;
  tuning?: RelayTuning;
}

/** Rows written so far and how far back through the range the export is (0..1). */
export type CsvExportProgress = CsvProgress;

export interface RelayStartResult {
  url: string;
  /** The one-time admin password, when this start created `admin` with a generated one. */
  bootstrapPassword?: string;
  /** Demo mode: the simulator's URL (for pointing other tools at it). */
  simulatorUrl?: string;
}

export interface RelayService {
  /** Listening URL, and the one-time admin password if one was generated. */
  start(): Promise<RelayStartResult>;
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
  /**
   * Alerts as they fire, clear and are acknowledged (`entry.state`); `silenced` ones fired in
   * their rule's quiet hours: for tray and native notifications.
   */
  onAlert(listener: (entry: AlertEntry) => void): () => void;
  health(): Health;
  /** Settings saved in the desktop app: replaces the affected upstream clients. */
  reconfigure(partial: Partial<Pick<RelayConfig, 'pbx' | 'cdr'>>): Promise<void>;
  /**
   * "Test connection" for settings not yet saved. For the client id the relay runs with, it
   * probes the running upstreams instead of fetching a second token (which would revoke the
   * running one); other settings get throwaway upstreams (relay/pbx/connection-test.ts).
   */
  testConnection(candidate: UpstreamCandidate): Promise<ConnectionTestResult[]>;
}

export interface RelayServiceDeps { logger: Logger; clock?: Clock }
