// GET /relay/openapi.json: OpenAPI 3.1 generated from the same zod schemas the
// routes validate with (contract/schemas.ts) and the response schemas checked
// against the contract types (openapi-responses.ts). One table of operations.
import { z } from 'zod';
import * as input from '../contract/schemas.js';
import * as out from './openapi-responses.js';

type Security = 'apiKey' | 'admin' | 'none';
interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  tag: 'relay' | 'admin';
  security: Security;
  permission?: string;
  query?: z.ZodType;
  params?: Record<string, z.ZodType>;
  body?: z.ZodType;
  ok: { status: number; schema?: z.ZodType; contentType?: string; description: string };
  errors?: number[];
}

const callId = { id: input.callIdParam };
const dateRangeHint = '`from`/`to` ISO-8601; `to - from` at most 366 days';

const OPERATIONS: Operation[] = [
  { method: 'get', path: '/relay/health', summary: 'Relay and upstream component health', tag: 'relay', security: 'none', ok: { status: 200, schema: out.health, description: 'health' } },
  { method: 'get', path: '/relay/active-calls', summary: 'Active calls (Call Control live state, else XAPI, cached ≤1 s)', tag: 'relay', security: 'apiKey', permission: 'read', ok: { status: 200, schema: out.activeCalls, description: 'active calls' }, errors: [502, 504] },
  { method: 'post', path: '/relay/active-calls/{id}/drop', summary: 'Drop an active call', tag: 'relay', security: 'apiKey', permission: 'control', params: callId, ok: { status: 204, description: 'dropped' }, errors: [404, 502, 504] },
  { method: 'post', path: '/relay/calls', summary: 'Click-to-call from an extension to a number', tag: 'relay', security: 'apiKey', permission: 'control', body: input.makeCallBody, ok: { status: 202, schema: out.makeCallResult, description: 'call started' }, errors: [502, 504] },
  { method: 'get', path: '/relay/cdr', summary: `Call records, newest first, keyset pages; ${dateRangeHint}`, tag: 'relay', security: 'apiKey', permission: 'read', query: input.cdrPageQuery, ok: { status: 200, schema: out.cdrPage, description: 'one page' }, errors: [502, 504] },
  { method: 'get', path: '/relay/cdr.csv', summary: `Every call record of the range as CSV, streamed; ${dateRangeHint}`, tag: 'relay', security: 'apiKey', permission: 'read', query: input.cdrRangeQuery, ok: { status: 200, contentType: 'text/csv', description: 'CSV with a header row' }, errors: [502, 504] },
  { method: 'post', path: '/relay/ws-ticket', summary: 'Single-use 30 s ticket for GET /relay/ws?ticket=', tag: 'relay', security: 'apiKey', permission: 'read', ok: { status: 201, schema: out.wsTicket, description: 'ticket' } },
  { method: 'get', path: '/relay/openapi.json', summary: 'This document', tag: 'relay', security: 'none', ok: { status: 200, description: 'OpenAPI 3.1 document' } },

  { method: 'post', path: '/admin/login', summary: 'Sign in; answers a session token (send it as Bearer) and a device token (send it with the next sign-in)', tag: 'admin', security: 'none', body: input.loginBody, ok: { status: 200, schema: out.loginResponse, description: 'signed in' }, errors: [429, 503] },
  { method: 'post', path: '/admin/logout', summary: 'Sign out; the session is revoked server-side', tag: 'admin', security: 'admin', ok: { status: 200, description: 'signed out' } },
  { method: 'get', path: '/admin/me', summary: 'The signed-in user', tag: 'admin', security: 'admin', ok: { status: 200, schema: out.adminUser, description: 'user' } },
  { method: 'get', path: '/admin/stats', summary: 'Dashboard figures', tag: 'admin', security: 'admin', ok: { status: 200, schema: out.stats, description: 'figures' } },
  { method: 'get', path: '/admin/connections', summary: 'Upstream components with recent history', tag: 'admin', security: 'admin', ok: { status: 200, schema: out.connections, description: 'components' } },
  { method: 'post', path: '/admin/connections/{component}/reconnect', summary: 'Reconnect one upstream component (admin)', tag: 'admin', security: 'admin', params: { component: input.componentParam }, ok: { status: 202, description: 'reconnecting' } },
  { method: 'get', path: '/admin/errors', summary: 'Error feed, newest first', tag: 'admin', security: 'admin', query: input.errorQuery, ok: { status: 200, schema: z.object({ errors: z.array(out.errorEntry) }), description: 'errors' } },
  { method: 'post', path: '/admin/errors/{id}/acknowledge', summary: 'Acknowledge an error', tag: 'admin', security: 'admin', params: { id: input.idParam }, ok: { status: 200, description: 'acknowledged' }, errors: [404] },
  { method: 'get', path: '/admin/api-keys', summary: 'API keys without secrets (admin)', tag: 'admin', security: 'admin', ok: { status: 200, schema: z.object({ keys: z.array(out.apiKeyInfo) }), description: 'keys' } },
  { method: 'post', path: '/admin/api-keys', summary: 'Create an API key; the key is shown only in this answer (admin)', tag: 'admin', security: 'admin', body: input.createApiKeyBody, ok: { status: 201, schema: out.createdApiKey, description: 'created' } },
  { method: 'delete', path: '/admin/api-keys/{id}', summary: 'Revoke an API key; its WebSockets close (admin)', tag: 'admin', security: 'admin', params: { id: input.apiKeyIdParam }, ok: { status: 200, description: 'revoked' }, errors: [404] },
  { method: 'get', path: '/admin/users', summary: 'Admin users (admin)', tag: 'admin', security: 'admin', ok: { status: 200, schema: z.object({ users: z.array(out.adminUserInfo) }), description: 'users' } },
  { method: 'post', path: '/admin/users', summary: 'Create a user (admin)', tag: 'admin', security: 'admin', body: input.createUserBody, ok: { status: 201, description: 'created' }, errors: [409] },
  { method: 'delete', path: '/admin/users/{username}', summary: 'Remove a user; never the last admin (admin)', tag: 'admin', security: 'admin', params: { username: input.username }, ok: { status: 200, description: 'removed' }, errors: [404, 409] },
  { method: 'post', path: '/admin/users/{username}/password', summary: 'Set a password (admin; own password: any role); revokes that user\'s sessions', tag: 'admin', security: 'admin', params: { username: input.username }, body: input.changePasswordBody, ok: { status: 200, description: 'changed' }, errors: [404, 503] },
  { method: 'get', path: '/admin/active-calls', summary: 'Active calls for the dashboard', tag: 'admin', security: 'admin', ok: { status: 200, schema: out.activeCalls, description: 'active calls' }, errors: [502, 504] },
  { method: 'post', path: '/admin/active-calls/{id}/drop', summary: 'Drop an active call (admin)', tag: 'admin', security: 'admin', params: callId, ok: { status: 204, description: 'dropped' }, errors: [404, 502, 504] },
  { method: 'get', path: '/admin/cdr', summary: `Call records for the dashboard; ${dateRangeHint}`, tag: 'admin', security: 'admin', query: input.cdrPageQuery, ok: { status: 200, schema: out.cdrPage, description: 'one page' }, errors: [502, 504] },
  { method: 'get', path: '/admin/cdr.csv', summary: `CSV export for the dashboard; ${dateRangeHint}`, tag: 'admin', security: 'admin', query: input.cdrRangeQuery, ok: { status: 200, contentType: 'text/csv', description: 'CSV with a header row' }, errors: [502, 504] },
  { method: 'post', path: '/admin/ws-ticket', summary: 'Ticket for /relay/ws?ticket= that marks the socket as the dashboard\'s (receives error_logged)', tag: 'admin', security: 'admin', ok: { status: 201, schema: out.wsTicket, description: 'ticket' } },
];

const ERROR_TEXT: Record<number, string> = {
  400: 'bad input (the message names the field)', 401: 'no, unknown or revoked credentials', 403: 'permission, role, Host or Origin refused',
  404: 'not found', 409: 'conflict', 413: 'body over 1 MiB', 429: 'rate limited', 500: 'unexpected failure (logged in the error feed)',
  502: '3CX failed or is not configured', 503: 'too many password checks at once (see Retry-After)', 504: '3CX timed out',
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return rest;
}

function queryParameters(schema: z.ZodType) {
  const s = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, sch]) => ({ name, in: 'query', required: (s.required ?? []).includes(name), schema: sch }));
}

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const parameters = [
      ...Object.entries(op.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema) })),
      ...(op.query ? queryParameters(op.query) : []),
    ];
    const base = [400, ...(op.security === 'none' ? [] : [401, 403]), 413, 429, 500];
    const codes = [...new Set([...base, ...(op.errors ?? [])])].sort();
    const responses: Record<string, unknown> = {
      [op.ok.status]: {
        description: op.ok.description,
        ...(op.ok.schema ? { content: { 'application/json': { schema: jsonSchema(op.ok.schema) } } } : {}),
        ...(op.ok.contentType ? { content: { [op.ok.contentType]: { schema: { type: 'string' } } } } : {}),
      },
    };
    for (const code of codes) responses[code] = { $ref: `#/components/responses/E${code}` };
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      tags: [op.tag],
      security: op.security === 'apiKey' ? [{ bearerKey: [] }, { headerKey: [] }] : op.security === 'admin' ? [{ adminCookie: [] }, { adminBearer: [] }] : [],
      ...(op.permission ? { 'x-permission': op.permission } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
      responses,
    };
  }
  const errorResponses = Object.fromEntries(Object.entries(ERROR_TEXT).map(([code, description]) => [
    `E${code}`, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  ]));
  return {
    openapi: '3.1.0',
    info: {
      title: '3CX Relay Companion local API',
      version,
      description: 'Live calls, call events and call records of a 3CX V20 PBX on 127.0.0.1. WebSocket: GET /relay/ws (key in a header, or ?ticket= from POST /relay/ws-ticket; ?since=SEQ replays).',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'relay', description: 'for integrations (API key)' }, { name: 'admin', description: 'for the dashboard (admin session)' }],
    paths,
    components: {
      schemas: { Error: jsonSchema(out.errorBody) },
      responses: errorResponses,
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'API key' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        adminCookie: { type: 'apiKey', in: 'cookie', name: 'admin_token' },
        adminBearer: { type: 'http', scheme: 'bearer', description: 'admin session token from POST /admin/login' },
      },
    },
  };
}
