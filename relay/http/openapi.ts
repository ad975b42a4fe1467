// GET /relay/openapi.json: OpenAPI 3.1 generated from the route table
// (contract/routes.ts): the same zod schemas the routes validate with, and
// the response schemas checked against the contract types.
import { z } from 'zod';
import { errorBody } from '../contract/response-schemas.js';
import { ROUTES, type RouteSpec } from '../contract/routes.js';

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

/** `/admin/users/:username` -> `/admin/users/{username}` */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}');

function security(op: RouteSpec) {
  switch (op.auth.kind) {
    case 'key': return [{ bearerKey: [] }, { headerKey: [] }];
    case 'admin': return [{ adminBearer: [] }];
    default: return [];
  }
}

function operation(id: string, op: RouteSpec): Record<string, unknown> {
  const parameters = [
    ...Object.entries(op.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema) })),
    ...(op.query ? queryParameters(op.query) : []),
  ];
  const base = [400, ...(op.auth.kind === 'none' ? [] : [401, 403]), 413, 429, 500];
  const codes = [...new Set([...base, ...(op.errors ?? [])])].sort();
  const responses: Record<string, unknown> = {
    [op.ok.status]: {
      description: op.ok.description,
      ...(op.ok.schema ? { content: { 'application/json': { schema: jsonSchema(op.ok.schema) } } } : {}),
      ...(op.ok.contentType ? { content: { [op.ok.contentType]: { schema: { type: 'string' } } } } : {}),
    },
  };
  for (const code of codes) responses[code] = { $ref: `#/components/responses/E${code}` };
  return {
    summary: op.summary,
    operationId: `${op.method.toLowerCase()}${op.path.replace(/:/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    'x-route': id,
    tags: [op.path.startsWith('/relay/') ? 'relay' : 'admin'],
    security: security(op),
    ...(op.auth.kind === 'key' ? { 'x-permission': op.auth.permission } : {}),
    ...(op.auth.kind === 'admin' ? { 'x-role': op.auth.role } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body) } } } } : {}),
    responses,
  };
}

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, op] of Object.entries(ROUTES) as [string, RouteSpec][]) {
    (paths[openApiPath(op.path)] ??= {})[op.method.toLowerCase()] = operation(id, op);
  }
  const errorResponses = Object.fromEntries(Object.entries(ERROR_TEXT).map(([code, description]) => [
    `E${code}`, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  ]));
  return {
    openapi: '3.1.0',
    info: {
      title: '3CX Relay Companion local API',
      version,
      description: 'Live calls, call events and call records of a 3CX V20 PBX on 127.0.0.1. API key permissions are independent: '
        + '`read` (live calls, call records, WebSocket) and `control` (drop and place calls); `control` does not grant `read`. '
        + 'WebSocket: GET /relay/ws (a `read` key in a header, or ?ticket= from POST /relay/ws-ticket; ?since=SEQ replays).',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'relay', description: 'for integrations (API key)' }, { name: 'admin', description: 'for the dashboard (admin session)' }],
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody) },
      responses: errorResponses,
      securitySchemes: {
        bearerKey: { type: 'http', scheme: 'bearer', description: 'API key' },
        headerKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        adminBearer: { type: 'http', scheme: 'bearer', description: 'admin session token from POST /admin/login' },
      },
    },
  };
}
