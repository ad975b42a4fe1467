// Response shapes of the HTTP API (route table, OpenAPI document), as zod
// schemas checked against the contract's TypeScript interfaces (`satisfies`),
// so the document cannot drift from what the routes return without failing
// the type check.
import { z } from 'zod';
import type {
  ActiveCall, ActiveCallsResponse, AdminUser, AdminUserInfo, ApiErrorBody, ApiKeyInfo, Cdr, CdrPage,
  ComponentHealth, ConnectionsView, CreatedApiKey, ErrorEntry, Health, LoginResponse, Stats, TeamHealth, TeamMember,
} from './api-types.js';
import { COMPONENT_STATES, COMPONENTS, ERROR_COMPONENTS, SEVERITIES } from './api-types.js';
import type { AlertEntry, AlertRule } from './supervisor-types.js';
import { ALERT_RULE_KINDS, ALERT_STATES } from './supervisor-types.js';

const iso = z.string().describe('ISO-8601 date-time');
const nullableString = z.string().nullable();

export const errorBody = z.object({ error: z.string(), code: z.string() }) satisfies z.ZodType<ApiErrorBody>;

export const componentHealth = z.object({
  state: z.enum(COMPONENT_STATES),
  latencyMs: z.number().nullable(),
  lastError: nullableString,
  since: iso,
}) satisfies z.ZodType<ComponentHealth>;
const components = z.object({ xapi: componentHealth, callcontrol: componentHealth, database: componentHealth });

const teamMember = z.object({
  id: z.string(),
  role: z.enum(['leader', 'follower']),
  since: iso,
  lagSeq: z.number().int().nonnegative(),
  url: z.string(),
  seenAt: iso,
}) satisfies z.ZodType<TeamMember>;

export const teamHealth = z.object({
  self: z.string(),
  leader: z.string().nullable(),
  members: z.array(teamMember),
  upstreamConnections: z.number().int().nonnegative(),
}) satisfies z.ZodType<TeamHealth>;

export const health = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  uptimeS: z.number(),
  components,
  team: teamHealth.optional().describe('present in team mode (several relays on one PostgreSQL store)'),
}) satisfies z.ZodType<Health>;

export const activeCall = z.object({
  Id: z.number().int(),
  Caller: z.string(),
  Callee: z.string(),
  Status: z.string(),
  LastChangeStatus: iso,
  EstablishedAt: iso.nullable(),
  ServerNow: iso,
}) satisfies z.ZodType<ActiveCall>;

export const activeCalls = z.object({
  value: z.array(activeCall),
  source: z.enum(['callcontrol', 'xapi']),
  asOf: iso,
}) satisfies z.ZodType<ActiveCallsResponse>;

export const cdr = z.object({
  cdr_id: z.string(),
  call_history_id: nullableString,
  cdr_started_at: iso,
  cdr_answered_at: iso.nullable(),
  cdr_ended_at: iso.nullable(),
  source_dn_number: nullableString,
  source_dn_type: nullableString,
  source_dn_name: nullableString,
  source_participant_name: nullableString,
  source_participant_phone_number: nullableString,
  source_participant_trunk_did: nullableString,
  source_entity_type: nullableString,
  destination_dn_number: nullableString,
  destination_dn_type: nullableString,
  destination_dn_name: nullableString,
  destination_participant_name: nullableString,
  destination_participant_phone_number: nullableString,
  destination_participant_trunk_did: nullableString,
  destination_entity_type: nullableString,
  termination_reason: nullableString,
  termination_reason_details: nullableString,
  creation_method: nullableString,
  originating_cdr_id: nullableString,
}) satisfies z.ZodType<Cdr>;

export const cdrPage = z.object({ rows: z.array(cdr), nextCursor: nullableString }) satisfies z.ZodType<CdrPage>;
export const wsTicket = z.object({ ticket: z.string(), expiresAt: iso });
export const makeCallResult = z.object({ callId: z.string().optional() });

export const adminUser = z.object({ username: z.string(), role: z.enum(['admin', 'viewer']) }) satisfies z.ZodType<AdminUser>;
export const loginResponse = z.object({ token: z.string(), user: adminUser, deviceToken: z.string() }) satisfies z.ZodType<LoginResponse>;
export const adminUserInfo = adminUser.extend({ createdAt: iso, lastLoginAt: iso.nullable() }) satisfies z.ZodType<AdminUserInfo>;

export const errorEntry = z.object({
  id: z.number().int(),
  at: iso,
  component: z.enum(ERROR_COMPONENTS),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  details: z.unknown(),
  acknowledged: z.boolean(),
  acknowledgedAt: iso.nullable(),
  acknowledgedBy: nullableString,
  occurrences: z.number().int(),
  lastAt: iso,
}) satisfies z.ZodType<ErrorEntry>;

export const apiKeyInfo = z.object({
  id: z.string(),
  clientName: z.string(),
  permissions: z.array(z.enum(['read', 'control'])),
  active: z.boolean(),
  createdAt: iso,
  createdBy: nullableString,
  lastUsedAt: iso.nullable(),
  requestCount: z.number().int(),
}) satisfies z.ZodType<ApiKeyInfo>;
export const createdApiKey = z.object({ id: z.string(), apiKey: z.string(), warning: z.string() }) satisfies z.ZodType<CreatedApiKey>;

const historyEntry = z.object({ at: iso, state: z.enum(COMPONENT_STATES), latencyMs: z.number().nullable(), error: nullableString });
export const connections = z.object({
  components: z.array(componentHealth.extend({ component: z.enum(COMPONENTS), history: z.array(historyEntry) })),
}) satisfies z.ZodType<ConnectionsView>;

export const stats = z.object({
  activeCalls: z.number().int(),
  callsToday: z.number().int(),
  eventsToday: z.number().int(),
  uptimeS: z.number(),
  requestsPerKey: z.array(z.object({ keyId: z.string(), clientName: z.string(), requests: z.number().int(), lastHour: z.number().int() })),
  errors: z.object({
    unacknowledged: z.number().int(),
    total: z.number().int(),
    bySeverity: z.object({ info: z.number().int(), warning: z.number().int(), error: z.number().int(), critical: z.number().int() }),
  }),
  callsPerHour: z.array(z.object({ hour: iso, count: z.number().int() })),
}) satisfies z.ZodType<Stats>;

// Acknowledgements of admin actions.
export const signedOut = z.object({ signedOut: z.literal(true) });
export const reconnecting = z.object({ component: z.enum(COMPONENTS), reconnecting: z.literal(true) });
export const acknowledged = z.object({ id: z.number().int(), acknowledged: z.literal(true) });
export const revokedApiKey = z.object({ id: z.string(), active: z.literal(false) });
export const removedUser = z.object({ username: z.string(), removed: z.literal(true) });
export const passwordChanged = z.object({ username: z.string(), passwordChanged: z.literal(true) });

export const alertEntry = z.object({
  id: z.number().int(),
  ruleId: z.number().int(),
  rule: z.string(),
  severity: z.enum(SEVERITIES),
  state: z.enum(ALERT_STATES),
  message: z.string(),
  firedAt: iso,
  clearedAt: iso.nullable(),
  acknowledgedBy: nullableString,
  acknowledgedAt: iso.nullable(),
  silenced: z.boolean().describe('fired inside the rule\'s quiet hours: recorded, no notification'),
}) satisfies z.ZodType<AlertEntry>;
export const alertList = z.object({ alerts: z.array(alertEntry) });
export const alertRule = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(ALERT_RULE_KINDS),
  threshold: z.number(),
  queueId: z.number().int().nullable(),
  severity: z.enum(SEVERITIES),
  quietHours: z.array(z.object({ days: z.array(z.number().int()), from: z.string(), to: z.string() })),
  cooldownS: z.number().int(),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: iso,
  updatedAt: iso,
}) satisfies z.ZodType<AlertRule>;
export const alertRuleList = z.object({ rules: z.array(alertRule) });
export const deletedAlertRule = z.object({ id: z.number().int(), deleted: z.literal(true) });
