// Mounts routes of the table (contract/routes.ts) on the app with their full
// paths: guards for the route's auth, then input validation, then its handler.
// Full paths on the app and no nested router: the integration API is the hot
// path (benchmark 1), and every router a request walks through costs it a
// prefix trim, a params pass and a second layer walk. A route without input
// does no schema work at all.
import type { Request, RequestHandler, Router } from 'express';
import { ROUTES, type RouteAuth, type RouteId, type RouteSpec } from '../contract/routes.js';
import type { RouteHandler, RouteHandlers } from './route-handler.js';
import { SENT } from './route-handler.js';
import { sendJson } from './send-json.js';
import { parseInput, parseParam } from './validate.js';

export type RouteTarget = Pick<Router, 'get' | 'post' | 'put' | 'delete'>;

interface ParsedInput { params: Record<string, unknown>; query: unknown; body: unknown }
const NO_INPUT: ParsedInput = Object.freeze({ params: Object.freeze({}), query: undefined, body: undefined });

function inputParser(spec: RouteSpec): ((req: Request) => ParsedInput) | null {
  const params = Object.entries(spec.params ?? {});
  const { query, body } = spec;
  if (params.length === 0 && !query && !body) return null;
  return (req) => {
    const parsed: Record<string, unknown> = {};
    for (const [name, schema] of params) parsed[name] = parseParam(schema, req.params[name], name);
    return {
      params: parsed,
      query: query ? parseInput(query, req.query, 'query') : undefined,
      body: body ? parseInput(body, req.body, 'body') : undefined,
    };
  };
}

export function mountRoutes(
  target: RouteTarget,
  ids: readonly RouteId[],
  handlers: RouteHandlers,
  guards: (auth: RouteAuth) => RequestHandler[],
): void {
  for (const id of ids) {
    const spec: RouteSpec = ROUTES[id];
    const handler = handlers[id] as RouteHandler<RouteId>;
    const parse = inputParser(spec);
    const status = spec.ok.status;
    const run: RequestHandler = async (req, res) => {
      const result = await handler((parse ? parse(req) : NO_INPUT) as never, req, res);
      if (result === SENT) return;
      if (status === 204 || result === undefined) {
        res.statusCode = status;
        res.end();
        return;
      }
      sendJson(res, result, status);
    };
    const method = ({ GET: 'get', POST: 'post', PUT: 'put', DELETE: 'delete' } as const)[spec.method];
    target[method](spec.path, ...guards(spec.auth), run);
  }
}
