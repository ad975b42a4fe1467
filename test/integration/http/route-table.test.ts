// The route table (contract/routes.ts) is the one list of HTTP routes: the
// express app mounts exactly its routes, no more and no fewer, each behind
// the guard its entry names; every admin route that needs the admin role
// calls an operation AdminOperations refuses to viewers.
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { ADMIN_ONLY_OPERATIONS } from '../../../relay/admin/admin-operations.js';
import { ROUTES, type RouteSpec } from '../../../relay/contract/routes.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { createHttpApp } from '../../../relay/http/app.js';
import type { HttpAppDeps } from '../../../relay/http/http-deps.js';

/** Building the app wires handlers without calling any service: each one says so if it is called. */
function unusedDeps(): HttpAppDeps {
  const unused = (name: string) => () => {
    throw new Error(`${name} must not be called while mounting`);
  };
  return {
    logger: silentLogger,
    policy: { port: () => 8082 },
    health: unused('health'),
    apiKeys: { authenticate: unused('apiKeys') },
    sessions: { login: unused('login'), resolve: unused('resolve'), logout: unused('logout'), verifyPassword: unused('verifyPassword') },
    adminAs: unused('adminAs'),
    calls: {} as HttpAppDeps['calls'],
    supervisor: { queues: unused('queues'), queue: unused('queue'), agents: unused('agents'), pbx: unused('pbx') },
    cdr: unused('cdr'),
    tickets: { issue: unused('tickets') },
    alerts: { list: unused('alerts') },
    requestLog: { record: unused('requestLog') },
    reportUnexpected: unused('reportUnexpected'),
    now: () => 0,
  };
}

interface Layer { route?: { path: string; methods: Record<string, boolean>; stack: { name: string }[] } }

function mounted(app: Express): Map<string, number> {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const routes = new Map<string, number>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const method of Object.keys(layer.route.methods).filter((m) => layer.route!.methods[m])) {
      const key = `${method.toUpperCase()} ${layer.route.path}`;
      expect(routes.has(key), `${key} mounted twice`).toBe(false);
      // Guards plus the route's own handler.
      routes.set(key, layer.route.stack.length);
    }
  }
  return routes;
}

describe('the route table', () => {
  it('is exactly what the express app mounts', () => {
    const app = mounted(createHttpApp(unusedDeps()));
    const table = (Object.values(ROUTES) as RouteSpec[]).map((r) => `${r.method} ${r.path}`);
    expect([...app.keys()].sort()).toEqual([...table].sort());
  });

  it('puts each route behind the guard its entry names', () => {
    const app = mounted(createHttpApp(unusedDeps()));
    for (const r of Object.values(ROUTES) as RouteSpec[]) {
      // none: the handler only; admin: session + handler; key: key check + rate limit + handler.
      const expected = r.auth.kind === 'none' ? 1 : r.auth.kind === 'admin' ? 2 : 3;
      expect(app.get(`${r.method} ${r.path}`), `${r.method} ${r.path}`).toBe(expected);
    }
  });

  it('admin-role routes call operations AdminOperations refuses to viewers, and only those', () => {
    for (const r of Object.values(ROUTES) as RouteSpec[]) {
      if (r.auth.kind !== 'admin' || !r.operation) continue;
      // setPassword: any role for one's own, admin for anyone else's (checked inside the operation).
      if (r.operation === 'setPassword') continue;
      expect(ADMIN_ONLY_OPERATIONS.has(r.operation), `${r.method} ${r.path} (${r.operation})`).toBe(r.auth.role === 'admin');
    }
  });
});
