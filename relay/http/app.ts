// The relay's express app: Host/Origin policy first, then the body limit,
// then the routes of the table (contract/routes.ts): the integration API
// (/relay, API keys + per-key rate limit) and the admin API (/admin,
// sessions); the dashboard at `/`, and one error handler.
import express, { type RequestHandler, type Response } from 'express';
import type { RouteAuth, RouteId } from '../contract/routes.js';
import { ROUTE_IDS, ROUTES } from '../contract/routes.js';
import { requireAdminSession } from './admin-auth.js';
import { requireApiKey } from './api-key-auth.js';
import { dashboardRoutes } from './dashboard.js';
import { createErrorHandler, notFoundHandler } from './error-handler.js';
import type { HttpAppDeps } from './http-deps.js';
import { jsonBody } from './json-body.js';
import { adminSessionOf } from './locals.js';
import { mountRoutes } from './mount-routes.js';
import { createKeyRateLimit } from './rate-limit.js';
import { requestLogger } from './request-log.js';
import type { RouteHandlers } from './route-handler.js';
import { adminAccessHandlers } from './routes/admin-access.js';
import { alertHandlers } from './routes/alerts.js';
import { adminCallHandlers } from './routes/admin-calls.js';
import { adminMonitorHandlers } from './routes/admin-monitor.js';
import { adminSessionHandlers } from './routes/admin-session.js';
import { relayCallHandlers } from './routes/relay-calls.js';
import { relayCdrHandlers } from './routes/relay-cdr.js';
import { relayStatusHandlers } from './routes/relay-status.js';
import { relaySupervisorHandlers } from './routes/relay-supervisor.js';
import { adminSupervisorHandlers } from './routes/admin-supervisor.js';
import { requestPolicyMiddleware } from './security/request-policy.js';

function setApiHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

const apiHeaders: RequestHandler = (_req, res, next) => {
  setApiHeaders(res);
  next();
};

const isRelayRoute = (id: RouteId) => ROUTES[id].path.startsWith('/relay/');

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestPolicyMiddleware(deps.policy));
  app.use(jsonBody());
  if (deps.beforeRoutes) app.use(deps.beforeRoutes);

  const ops = (res: Response) => deps.adminAs(adminSessionOf(res).user);
  const handlers = {
    ...relayCallHandlers(deps.calls),
    ...relayStatusHandlers(deps.health, deps.tickets),
    ...relaySupervisorHandlers(deps.supervisor),
    ...relayCdrHandlers(deps.cdr),
    ...adminSessionHandlers(deps.sessions, ops),
    ...adminMonitorHandlers(ops),
    ...adminAccessHandlers(ops),
    ...adminCallHandlers(ops, deps.tickets),
    ...alertHandlers(deps.alerts, ops),
    ...adminSupervisorHandlers(ops),
  } satisfies RouteHandlers;

  const limiter = createKeyRateLimit(deps.rateLimit ?? { windowMs: 60_000, limit: 60_000 });
  const authed = requireAdminSession(deps.sessions);
  const keyGuards = { read: [requireApiKey(deps.apiKeys, 'read'), limiter], control: [requireApiKey(deps.apiKeys, 'control'), limiter] };
  const guards = (auth: RouteAuth): RequestHandler[] =>
    auth.kind === 'key' ? keyGuards[auth.permission] : auth.kind === 'admin' ? [authed] : [];

  // The integration API is the hot path (benchmark 1): one entry middleware,
  // then its routes straight on the app (see mount-routes.ts).
  const logRequest = requestLogger(deps.requestLog, deps.now);
  app.use('/relay', (req, res, next) => {
    setApiHeaders(res);
    logRequest(req, res, next);
  });
  mountRoutes(app, ROUTE_IDS.filter(isRelayRoute), handlers, guards);

  app.use('/admin', apiHeaders);
  mountRoutes(app, ROUTE_IDS.filter((id) => !isRelayRoute(id)), handlers, guards);
  // Any other /admin path: a stranger learns nothing before signing in.
  app.use('/admin', authed);

  if (deps.dashboard) app.use(...dashboardRoutes(deps.dashboard.dir));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger, deps.reportUnexpected));
  return app;
}
