// The HTTP API's one route table: method, path, who may call it, its input
// and output schemas. The relay mounts its express routes from it
// (relay/http/mount-routes.ts) and generates the OpenAPI document from it;
// the dashboard's HTTP client builds its requests from it; the tests walk it.
// Adding a route is one entry here plus its handler (relay/http/routes/),
// which calls one operation. Pure data and zod: importable from the renderer.
import { z } from 'zod';
import type { AdminOperationName } from './admin-operations.js';
import type { Permission } from './api-types.js';
import * as input from './schemas.js';
import * as out from './response-schemas.js';
import * as sup from './supervisor-schemas.js';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * `none`: anyone (the request policy still applies); `key`: an API key with
 * that permission; `admin`: an admin session, `role: 'admin'` when viewers
 * are refused (the check itself lives in AdminOperations, `operation`).
 */
export type RouteAuth =
  | { kind: 'none' }
  | { kind: 'key'; permission: Permission }
  | { kind: 'admin'; role: 'any' | 'admin' };

export interface RouteSpec {
  method: RouteMethod;
  /** Express syntax: `:name` for a path parameter. */
  path: `/${string}`;
  summary: string;
  auth: RouteAuth;
  /** The AdminOperations method an admin route calls (HTTP and IPC share its rules). */
  operation?: AdminOperationName;
  params?: Readonly<Record<string, z.ZodType>>;
  query?: z.ZodType;
  body?: z.ZodType;
  ok: { status: number; schema?: z.ZodType; contentType?: string; description: string };
  /** Answers beyond the ones every route may give (400, 401/403 when authenticated, 413, 429, 500). */
  errors?: readonly number[];
}

const none = { kind: 'none' } as const;
const read = { kind: 'key', permission: 'read' } as const;
const control = { kind: 'key', permission: 'control' } as const;
const anyRole = { kind: 'admin', role: 'any' } as const;
const adminRole = { kind: 'admin', role: 'admin' } as const;
const callId = { id: input.callIdParam };
const dateRangeHint = '`from`/`to` ISO-8601; `to - from` at most 366 days';
const upstream = [502, 504] as const;

// Order is mount order: the integration API's hot path (the live call list,
// benchmark 1) comes first so its requests walk the fewest layers.
export const ROUTES = {
  relayActiveCalls: { method: 'GET', path: '/relay/active-calls', summary: 'Active calls (Call Control live state, else XAPI, cached ≤1 s)', auth: read, ok: { status: 200, schema: out.activeCalls, description: 'active calls' }, errors: upstream },
  relayDropCall: { method: 'POST', path: '/relay/active-calls/:id/drop', summary: 'Drop an active call', auth: control, params: callId, ok: { status: 204, description: 'dropped' }, errors: [404, ...upstream] },
  relayMakeCall: { method: 'POST', path: '/relay/calls', summary: 'Click-to-call from an extension to a number', auth: control, body: input.makeCallBody, ok: { status: 202, schema: out.makeCallResult, description: 'call started' }, errors: upstream },
  relayQueues: { method: 'GET', path: '/relay/queues', summary: 'Queues live: calls waiting, longest wait, agents, today\'s answered / abandoned / service level / average wait and talk; each figure with the age of its data (one shared refresh: polling costs the PBX nothing)', auth: read, ok: { status: 200, schema: sup.queueList, description: 'queues' } },
  relayQueue: { method: 'GET', path: '/relay/queues/:id', summary: 'One queue\'s figures (XAPI Queues Id)', auth: read, params: { id: input.idParam }, ok: { status: 200, schema: sup.queueFigures, description: 'queue' }, errors: [404] },
  relayAgents: { method: 'GET', path: '/relay/agents', summary: 'Queue agents: login status, registered phone, current call, answered today', auth: read, ok: { status: 200, schema: sup.agentList, description: 'agents' } },
  relayPbx: { method: 'GET', path: '/relay/pbx', summary: 'PBX version, licence, extensions and trunks registered / total, Call Control coverage, with the age of the data', auth: read, ok: { status: 200, schema: sup.pbxOverview, description: 'PBX overview' } },
  relayHealth: { method: 'GET', path: '/relay/health', summary: 'Relay and upstream component health', auth: none, ok: { status: 200, schema: out.health, description: 'health' } },
  relayOpenApi: { method: 'GET', path: '/relay/openapi.json', summary: 'This document', auth: none, ok: { status: 200, description: 'OpenAPI 3.1 document' } },
  relayWsTicket: { method: 'POST', path: '/relay/ws-ticket', summary: 'Single-use 30 s ticket for GET /relay/ws?ticket=', auth: read, ok: { status: 201, schema: out.wsTicket, description: 'ticket' } },
  relayCdrPage: { method: 'GET', path: '/relay/cdr', summary: `Call records, newest first, keyset pages; ${dateRangeHint}`, auth: read, query: input.cdrPageQuery, ok: { status: 200, schema: out.cdrPage, description: 'one page' }, errors: upstream },
  relayAlerts: { method: 'GET', path: '/relay/alerts', summary: 'Alert history, newest first: fired, cleared, acknowledged (by whom, when); `before` pages by id', auth: read, query: input.alertQuery, ok: { status: 200, schema: out.alertList, description: 'alerts' } },
  relayCdrCsv: { method: 'GET', path: '/relay/cdr.csv', summary: `Every call record of the range as CSV, streamed; ${dateRangeHint}`, auth: read, query: input.cdrRangeQuery, ok: { status: 200, contentType: 'text/csv', description: 'CSV with a header row' }, errors: upstream },

  login: { method: 'POST', path: '/admin/login', summary: 'Sign in; answers a session token (send it as Bearer) and a device token (send it with the next sign-in)', auth: none, body: input.loginBody, ok: { status: 200, schema: out.loginResponse, description: 'signed in' }, errors: [429, 503] },
  logout: { method: 'POST', path: '/admin/logout', summary: 'Sign out; the session is revoked server-side', auth: anyRole, ok: { status: 200, schema: out.signedOut, description: 'signed out' } },
  me: { method: 'GET', path: '/admin/me', summary: 'The signed-in user', auth: anyRole, operation: 'me', ok: { status: 200, schema: out.adminUser, description: 'user' } },
  stats: { method: 'GET', path: '/admin/stats', summary: 'Dashboard figures', auth: anyRole, operation: 'stats', ok: { status: 200, schema: out.stats, description: 'figures' } },
  connections: { method: 'GET', path: '/admin/connections', summary: 'Upstream components with recent history', auth: anyRole, operation: 'connections', ok: { status: 200, schema: out.connections, description: 'components' } },
  reconnect: { method: 'POST', path: '/admin/connections/:component/reconnect', summary: 'Reconnect one upstream component (admin)', auth: adminRole, operation: 'reconnect', params: { component: input.componentParam }, ok: { status: 202, schema: out.reconnecting, description: 'reconnecting' } },
  listErrors: { method: 'GET', path: '/admin/errors', summary: 'Error feed, newest first', auth: anyRole, operation: 'listErrors', query: input.errorQuery, ok: { status: 200, schema: z.object({ errors: z.array(out.errorEntry) }), description: 'errors' } },
  acknowledgeError: { method: 'POST', path: '/admin/errors/:id/acknowledge', summary: 'Acknowledge an error', auth: anyRole, operation: 'acknowledgeError', params: { id: input.idParam }, ok: { status: 200, schema: out.acknowledged, description: 'acknowledged' }, errors: [404] },
  listApiKeys: { method: 'GET', path: '/admin/api-keys', summary: 'API keys without secrets (admin)', auth: adminRole, operation: 'listApiKeys', ok: { status: 200, schema: z.object({ keys: z.array(out.apiKeyInfo) }), description: 'keys' } },
  createApiKey: { method: 'POST', path: '/admin/api-keys', summary: 'Create an API key; the key is shown only in this answer. Permissions are independent: `read` lists calls and records and opens WebSockets, `control` drops and places calls (admin)', auth: adminRole, operation: 'createApiKey', body: input.createApiKeyBody, ok: { status: 201, schema: out.createdApiKey, description: 'created' } },
  revokeApiKey: { method: 'DELETE', path: '/admin/api-keys/:id', summary: 'Revoke an API key; its WebSockets close (admin)', auth: adminRole, operation: 'revokeApiKey', params: { id: input.apiKeyIdParam }, ok: { status: 200, schema: out.revokedApiKey, description: 'revoked' }, errors: [404] },
  listUsers: { method: 'GET', path: '/admin/users', summary: 'Admin users (admin)', auth: adminRole, operation: 'listUsers', ok: { status: 200, schema: z.object({ users: z.array(out.adminUserInfo) }), description: 'users' } },
  createUser: { method: 'POST', path: '/admin/users', summary: 'Create a user (admin)', auth: adminRole, operation: 'createUser', body: input.createUserBody, ok: { status: 201, schema: out.adminUser, description: 'created' }, errors: [409] },
  removeUser: { method: 'DELETE', path: '/admin/users/:username', summary: 'Remove a user; never the last admin (admin)', auth: adminRole, operation: 'removeUser', params: { username: input.username }, ok: { status: 200, schema: out.removedUser, description: 'removed' }, errors: [404, 409] },
  setPassword: { method: 'POST', path: '/admin/users/:username/password', summary: 'Set a password (admin; own password: any role, with `currentPassword`); revokes that user\'s sessions', auth: anyRole, operation: 'setPassword', params: { username: input.username }, body: input.changePasswordBody, ok: { status: 200, schema: out.passwordChanged, description: 'changed' }, errors: [404, 429, 503] },
  activeCalls: { method: 'GET', path: '/admin/active-calls', summary: 'Active calls for the dashboard', auth: anyRole, operation: 'activeCalls', ok: { status: 200, schema: out.activeCalls, description: 'active calls' }, errors: upstream },
  dropCall: { method: 'POST', path: '/admin/active-calls/:id/drop', summary: 'Drop an active call (admin)', auth: adminRole, operation: 'dropCall', params: callId, ok: { status: 204, description: 'dropped' }, errors: [404, ...upstream] },
  cdrPage: { method: 'GET', path: '/admin/cdr', summary: `Call records for the dashboard; ${dateRangeHint}`, auth: anyRole, operation: 'cdrPage', query: input.cdrPageQuery, ok: { status: 200, schema: out.cdrPage, description: 'one page' }, errors: upstream },
  cdrCsv: { method: 'GET', path: '/admin/cdr.csv', summary: `CSV export for the dashboard; ${dateRangeHint}`, auth: anyRole, query: input.cdrRangeQuery, ok: { status: 200, contentType: 'text/csv', description: 'CSV with a header row' }, errors: upstream },
  listAlerts: { method: 'GET', path: '/admin/alerts', summary: 'Alert history for the dashboard, newest first', auth: anyRole, operation: 'listAlerts', query: input.alertQuery, ok: { status: 200, schema: out.alertList, description: 'alerts' } },
  acknowledgeAlert: { method: 'POST', path: '/admin/alerts/:id/acknowledge', summary: 'Acknowledge an alert; stored with the user and time (the first acknowledgement stays)', auth: anyRole, operation: 'acknowledgeAlert', params: { id: input.idParam }, ok: { status: 200, schema: out.alertEntry, description: 'acknowledged' }, errors: [404] },
  listAlertRules: { method: 'GET', path: '/admin/alert-rules', summary: 'Alert rules', auth: anyRole, operation: 'listAlertRules', ok: { status: 200, schema: out.alertRuleList, description: 'rules' } },
  createAlertRule: { method: 'POST', path: '/admin/alert-rules', summary: 'Create an alert rule: kind, threshold, queue, severity, quiet hours (local time), cool-down (admin)', auth: adminRole, operation: 'createAlertRule', body: input.alertRuleInput, ok: { status: 201, schema: out.alertRule, description: 'created' } },
  updateAlertRule: { method: 'PUT', path: '/admin/alert-rules/:id', summary: 'Replace an alert rule\'s settings (admin)', auth: adminRole, operation: 'updateAlertRule', params: { id: input.idParam }, body: input.alertRuleInput, ok: { status: 200, schema: out.alertRule, description: 'updated' }, errors: [404] },
  deleteAlertRule: { method: 'DELETE', path: '/admin/alert-rules/:id', summary: 'Delete an alert rule; an alert it has firing clears, its history stays (admin)', auth: adminRole, operation: 'deleteAlertRule', params: { id: input.idParam }, ok: { status: 200, schema: out.deletedAlertRule, description: 'deleted' }, errors: [404] },
  adminQueues: { method: 'GET', path: '/admin/queues', summary: 'Queues live for the dashboard (as GET /relay/queues)', auth: anyRole, operation: 'queues', ok: { status: 200, schema: sup.queueList, description: 'queues' } },
  adminAgents: { method: 'GET', path: '/admin/agents', summary: 'Queue agents for the dashboard (as GET /relay/agents)', auth: anyRole, operation: 'agents', ok: { status: 200, schema: sup.agentList, description: 'agents' } },
  adminPbx: { method: 'GET', path: '/admin/pbx', summary: 'PBX overview for the dashboard (as GET /relay/pbx)', auth: anyRole, operation: 'pbx', ok: { status: 200, schema: sup.pbxOverview, description: 'PBX overview' } },
  setAgentQueueStatus: { method: 'POST', path: '/admin/agents/:extension/queue-status', summary: 'Log an agent in or out of all its queues on the PBX; recorded in the audit trail with who did it (admin)', auth: adminRole, operation: 'setAgentQueueStatus', params: { extension: input.extensionParam }, body: input.queueStatusBody, ok: { status: 204, description: 'done' }, errors: [404, ...upstream] },
  adminWsTicket: { method: 'POST', path: '/admin/ws-ticket', summary: 'Ticket for /relay/ws?ticket= that marks the socket as the dashboard\'s (receives error_logged)', auth: anyRole, ok: { status: 201, schema: out.wsTicket, description: 'ticket' } },
} as const satisfies Record<string, RouteSpec>;

/** The WebSocket endpoint (an upgrade, outside the table): `read` key or ticket. */
export const WS_PATH = '/relay/ws';

export type RouteId = keyof typeof ROUTES;
export const ROUTE_IDS = Object.keys(ROUTES) as RouteId[];

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
type ParamsOut<P> = P extends Readonly<Record<string, z.ZodType>> ? { [K in keyof P]: z.output<P[K]> } : Record<string, never>;

/** A route's validated input, typed from its schemas. */
export interface RouteInput<Id extends RouteId> {
  params: ParamsOut<(typeof ROUTES)[Id] extends { params: infer P } ? P : undefined>;
  query: Out<(typeof ROUTES)[Id] extends { query: infer Q } ? Q : undefined>;
  body: Out<(typeof ROUTES)[Id] extends { body: infer B } ? B : undefined>;
}

/** The path parameters a route needs, as strings or numbers (encoded here). */
export type RoutePathParams<Id extends RouteId> =
  (typeof ROUTES)[Id] extends { params: infer P } ? { [K in keyof P]: string | number } : undefined;

/** A route's concrete path: `:name` filled in, percent-encoded. */
export function routePath<Id extends RouteId>(id: Id, ...[params]: RoutePathParams<Id> extends undefined ? [] : [RoutePathParams<Id>]): string {
  const values = (params ?? {}) as Record<string, string | number>;
  return ROUTES[id].path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(String(values[name])));
}
