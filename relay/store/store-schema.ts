// Row types of the relay's own tables, as Kysely sees them. The same types
// serve both engines, so every column uses a representation both agree on:
// - times are ISO-8601 UTC text from Date#toISOString() (24 chars, so text
//   order is time order on SQLite and PostgreSQL alike);
// - booleans are integers 0/1 (SQLite has no boolean type);
// - counters that can outgrow 2^31 are bigint, which `pg` returns as a
//   string: repositories read them through `toNumber`.
import type { ColumnType, Generated } from 'kysely';
import type { ComponentName, ComponentState, ErrorComponent, Role, Severity } from '../contract/api-types.js';
import type { AlertRuleKind, AlertState } from '../contract/supervisor-types.js';

/** bigint column: PostgreSQL returns text, SQLite a number. */
export type BigCount = ColumnType<number | string | bigint, number | bigint, number | bigint>;
/** 0 or 1. */
export type Flag = number;

export interface AdminUsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: Role;
  created_at: string;
  last_login_at: string | null;
  password_changed_at: string;
}

export interface SessionsTable {
  /** SHA-256 hex of the bearer token; the token itself is never stored. */
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  /** Sliding idle expiry, never later than `absolute_expires_at`. */
  expires_at: string;
  absolute_expires_at: string;
  address: string | null;
}

export interface ApiKeysTable {
  /** Short public id, also embedded in the key: the O(1) lookup handle. */
  id: string;
  /** SHA-256 hex of the full key. */
  key_hash: string;
  client_name: string;
  /** Comma-separated Permission list, e.g. "read,control". */
  permissions: string;
  active: Flag;
  created_at: string;
  created_by: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  request_count: BigCount;
}

export interface ApiRequestsTable {
  id: Generated<number>;
  key_id: string | null;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  at: string;
}

export interface ErrorLogTable {
  id: Generated<number>;
  /** First occurrence. */
  at: string;
  /** Latest occurrence (equals `at` until a duplicate bumps it). */
  last_at: string;
  component: ErrorComponent;
  severity: Severity;
  message: string;
  /** JSON text or null. */
  details: string | null;
  /** SHA-256 hex of component + message: finds the open duplicate by index. */
  fingerprint: string;
  occurrences: number;
  acknowledged: Flag;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export interface ConnectionStatusHistoryTable {
  id: Generated<number>;
  component: ComponentName;
  state: ComponentState;
  latency_ms: number | null;
  error: string | null;
  at: string;
}

/** Per-UTC-day named counters (call events, calls seen, ...). */
export interface DailyCountsTable {
  /** YYYY-MM-DD (UTC). */
  day: string;
  name: string;
  count: BigCount;
}

export interface SignInThrottleTable {
  key: string;
  attempts: number;
  window_started_at: string;
  next_allowed_at: string;
}

export interface RelaySecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface AlertRulesTable {
  id: Generated<number>;
  name: string;
  kind: AlertRuleKind;
  threshold: number;
  queue_id: number | null;
  severity: Severity;
  /** JSON array of QuietHours. */
  quiet_hours: string;
  cooldown_s: number;
  enabled: Flag;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AlertHistoryTable {
  id: Generated<number>;
  rule_id: number;
  /** The rule's name and severity when it fired. */
  rule_name: string;
  severity: Severity;
  /** The latest transition: fired, then cleared and/or acknowledged. */
  state: AlertState;
  message: string;
  fired_at: string;
  cleared_at: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  silenced: Flag;
}

/** Supervisor actions on the PBX (migration 003). */
export interface AgentAuditTable {
  id: Generated<number>;
  at: string;
  /** Who did it: an admin username, or `desktop` for the local admin. */
  actor: string;
  extension: string;
  /** e.g. `queue_status:LoggedOut`. */
  action: string;
}

export interface StoreSchema {
  admin_users: AdminUsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  api_requests: ApiRequestsTable;
  error_log: ErrorLogTable;
  connection_status_history: ConnectionStatusHistoryTable;
  daily_counts: DailyCountsTable;
  sign_in_throttle: SignInThrottleTable;
  relay_secrets: RelaySecretsTable;
  alert_rules: AlertRulesTable;
  alert_history: AlertHistoryTable;
  agent_audit: AgentAuditTable;
}

export type StoreEngine = 'sqlite' | 'postgres';

export function toNumber(v: number | string | bigint | null | undefined): number {
  return v == null ? 0 : Number(v);
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}
