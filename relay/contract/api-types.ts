// The outside surface shared by relay, electron and renderer (type-only plus
// constants). Keep in step with ../shared/spec/relay-contract.md.
import type { CallControlCoverage, Severity } from './common-types.js';
import type { AgentState, AlertFrameData, QueueFigures } from './supervisor-types.js';

// Shared with supervisor-types.ts, which cannot import this file back (no import cycles).
export { SEVERITIES, type Severity, type CallControlCoverage } from './common-types.js';

export const COMPONENTS = ['xapi', 'callcontrol', 'database'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export const COMPONENT_STATES = ['connected', 'connecting', 'disconnected', 'error', 'unconfigured'] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

export interface ComponentHealth {
  state: ComponentState;
  latencyMs: number | null;
  lastError: string | null;
  /** ISO-8601 time the component entered `state`. */
  since: string;
}

export type RelayStatus = 'ok' | 'degraded' | 'down';

export interface Health {
  status: RelayStatus;
  version: string;
  uptimeS: number;
  components: Record<ComponentName, ComponentHealth>;
  /** The PBX as XAPI `SystemStatus` described it at the last (re)connect; null before the first answer. */
  pbx?: PbxStatus | null;
  /** How much of the PBX Call Control can see; null until both Call Control and XAPI answered. */
  callControlCoverage?: CallControlCoverage | null;
  /** Team mode (a PostgreSQL store shared by several relays): who leads, who follows. Absent on the embedded store. */
  team?: TeamHealth;
}

export type TeamRole = 'leader' | 'follower';

/** One relay of a team, as the team's membership table last saw it. */
export interface TeamMember {
  /** Stable for the life of the process: host name, listening port and a random suffix. */
  id: string;
  role: TeamRole;
  /** ISO-8601 time the member took its current role. */
  since: string;
  /** How many frames the member's stream is behind the leader's newest `seq` (0 for the leader). */
  lagSeq: number;
  /** The URL the member listens on, as it announced it. */
  url: string;
  /** ISO-8601 time of the member's last heartbeat. */
  seenAt: string;
}

export interface TeamHealth {
  /** This relay's member id. */
  self: string;
  /** The leader's member id; null while no relay holds the lock (an election is under way). */
  leader: string | null;
  members: TeamMember[];
  /** 3CX connections this relay itself holds open now (XAPI token, Call Control, call-record database): 0 on a follower. */
  upstreamConnections: number;
}

/** Something about the PBX a person should know, e.g. that call records need V20 Update 6. */
export interface PbxNotice {
  code: string;
  message: string;
}

/** XAPI `SystemStatus`, read at start and on every reconnect. */
export interface PbxStatus {
  /** e.g. `20.0.7.1080`. */
  version: string | null;
  licenseActive: boolean | null;
  productCode: string | null;
  maxSimCalls: number | null;
  extensions: { registered: number | null; total: number | null };
  trunks: { registered: number | null; total: number | null };
  /** Whether this version keeps call records in `cdroutput` (20.0.6 and later); null when the version is unknown. */
  callRecordsAvailable: boolean | null;
  notices: PbxNotice[];
  /** When the PBX answered. */
  asOf: string;
}

/** 3CX XAPI `ActiveCalls` entity; field names are 3CX's. */
export interface ActiveCall {
  Id: number;
  Caller: string;
  Callee: string;
  Status: string;
  LastChangeStatus: string;
  EstablishedAt: string | null;
  ServerNow: string;
}

export type ActiveCallsSource = 'callcontrol' | 'xapi';

export interface ActiveCallsResponse {
  value: ActiveCall[];
  source: ActiveCallsSource;
  asOf: string;
}

/** One `cdroutput` row; keys are 3CX V20's column names, times ISO-8601. */
export interface Cdr {
  cdr_id: string;
  call_history_id: string | null;
  cdr_started_at: string;
  cdr_answered_at: string | null;
  cdr_ended_at: string | null;
  source_dn_number: string | null;
  source_dn_type: string | null;
  source_dn_name: string | null;
  source_participant_name: string | null;
  source_participant_phone_number: string | null;
  source_participant_trunk_did: string | null;
  source_entity_type: string | null;
  destination_dn_number: string | null;
  destination_dn_type: string | null;
  destination_dn_name: string | null;
  destination_participant_name: string | null;
  destination_participant_phone_number: string | null;
  destination_participant_trunk_did: string | null;
  destination_entity_type: string | null;
  termination_reason: string | null;
  termination_reason_details: string | null;
  creation_method: string | null;
  originating_cdr_id: string | null;
}

export interface CdrPage {
  rows: Cdr[];
  nextCursor: string | null;
}

export interface ApiErrorBody {
  error: string;
  code: string;
}

// ---- WebSocket frames (server -> client) ----
export interface HelloFrame { type: 'hello'; seq: number; components: Record<ComponentName, ComponentHealth> }
export interface CallEventFrame { type: 'call_event'; seq: number; at: string; data: unknown }
export interface CallsFrame { type: 'calls'; seq: number; at: string; value: ActiveCall[] }
export interface ConnectionStateFrame {
  type: 'connection_state';
  seq: number;
  at: string;
  data: { component: ComponentName; state: ComponentState; latencyMs: number | null; error: string | null };
}
export interface ResyncRequiredFrame { type: 'resync_required'; seq: number }
/** Not in the integrations' contract table: only admin sockets receive it. */
export interface ErrorLoggedFrame { type: 'error_logged'; seq: number; at: string; data: ErrorEntry }
export interface QueueStatsFrame { type: 'queue_stats'; seq: number; at: string; value: QueueFigures }
export interface AgentStateFrame { type: 'agent_state'; seq: number; at: string; value: AgentState }
export interface AlertFrame { type: 'alert'; seq: number; at: string; data: AlertFrameData }
export type RelayFrame =
  | HelloFrame | CallEventFrame | CallsFrame | ConnectionStateFrame | ResyncRequiredFrame | ErrorLoggedFrame
  | QueueStatsFrame | AgentStateFrame | AlertFrame;
export type SequencedFrame =
  | CallEventFrame | CallsFrame | ConnectionStateFrame | ErrorLoggedFrame | QueueStatsFrame | AgentStateFrame | AlertFrame;

// ---- Admin ----
export type Role = 'admin' | 'viewer';
export type Permission = 'read' | 'control';
export const ERROR_COMPONENTS = ['xapi', 'callcontrol', 'database', 'relay', 'store', 'api'] as const;
export type ErrorComponent = (typeof ERROR_COMPONENTS)[number];

export interface AdminUser { username: string; role: Role }
export interface AdminUserInfo extends AdminUser { createdAt: string; lastLoginAt: string | null }
/** `deviceToken`: keep it (localStorage) and send it with the next sign-in; see contract §4. */
export interface LoginResponse { token: string; user: AdminUser; deviceToken: string }

export interface ErrorEntry {
  id: number;
  at: string;
  component: ErrorComponent;
  severity: Severity;
  message: string;
  details: unknown;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** How many times the same fault repeated while unacknowledged. */
  occurrences: number;
  lastAt: string;
}

export interface ErrorQuery {
  component?: ErrorComponent;
  severity?: Severity;
  acknowledged?: boolean;
  limit?: number;
  /** Return entries with id < before (pagination, newest first). */
  before?: number;
}

export interface ApiKeyInfo {
  id: string;
  clientName: string;
  permissions: Permission[];
  active: boolean;
  createdAt: string;
  createdBy: string | null;
  lastUsedAt: string | null;
  requestCount: number;
}

export interface CreatedApiKey { id: string; apiKey: string; warning: string }

export interface ConnectionHistoryEntry {
  at: string;
  state: ComponentState;
  latencyMs: number | null;
  error: string | null;
}
export interface ComponentConnection extends ComponentHealth {
  component: ComponentName;
  history: ConnectionHistoryEntry[];
}
export interface ConnectionsView { components: ComponentConnection[] }

export interface KeyRequestStats { keyId: string; clientName: string; requests: number; lastHour: number }
export interface Stats {
  activeCalls: number;
  callsToday: number;
  eventsToday: number;
  uptimeS: number;
  requestsPerKey: KeyRequestStats[];
  errors: { unacknowledged: number; total: number; bySeverity: Record<Severity, number> };
  /** Calls started per hour over the last 24 hours, oldest first. */
  callsPerHour: { hour: string; count: number }[];
}
