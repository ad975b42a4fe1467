// The relay's express app: Host/Origin policy first, then the body limit,
// then the integration API (/relay, API keys + per-key rate limit), the admin
// API (/admin, sessions), the dashboard at `/`, and one error handler.
import express, { Router, type RequestHandler, type Response } from 'express';
import type { Permission } from '../contract/api-types.js';
import { requireAdminSession } from './admin-auth.js';
import { requireApiKey } from './api-key-auth.js';
import { dashboardRoutes } from './dashboard.js';
import { createErrorHandler, notFoundHandler } from './error-handler.js';
import type { HttpAppDeps } from './http-deps.js';
import { jsonBody } from './json-body.js';
import { adminSessionOf } from './locals.js';
import { createKeyRateLimit } from './rate-limit.js';
import { requestLogger } from './request-log.js';
import { adminAccessRoutes } from './routes/admin-access.js';
import { adminCallRoutes } from './routes/admin-calls.js';
import { adminMonitorRoutes } from './routes/admin-monitor.js';
import { adminSessionRoutes } from './routes/admin-session.js';
import { addRelayCallRoutes } from './routes/relay-calls.js';
import { addRelayCdrRoutes } from './routes/relay-cdr.js';
import { addRelayStatusRoutes } from './routes/relay-status.js';
import { requestPolicyMiddleware } from './security/request-policy.js';

function setApiHeaders(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

const apiHeaders: RequestHandler = (_req, res, next) => {
  setApiHeaders(res);
  next();
};

export function createHttpApp(deps: HttpAppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestPolicyMiddleware(deps.policy));
  app.use(jsonBody());

  const limiter = createKeyRateLimit(deps.rateLimit ?? { windowMs: 60_000, limit: 60_000 });
  const keyed = (p: Permission): RequestHandler[] => [requireApiKey(deps.apiKeys, p), limiter];
  // The integration API is the hot path (benchmark 1): its routes sit on the
  // app itself behind one entry middleware (see route-target.ts), the live
  // call list first.
  const logRequest = requestLogger(deps.requestLog, deps.now);
  app.use('/relay', (req, res, next) => {
    setApiHeaders(res);
    logRequest(req, res, next);
  });
  addRelayCallRoutes(app, deps.calls, keyed);
  addRelayStatusRoutes(app, deps.health, deps.tickets, keyed);
  addRelayCdrRoutes(app, deps.cdr, keyed);

  const authed = requireAdminSession(deps.sessions);
  const opsFor = (res: Response) => deps.adminAs(adminSessionOf(res).user);
  const admin = Router();
  admin.use(apiHeaders);
  admin.use(adminSessionRoutes(deps.sessions, authed));
  admin.use(authed);
  admin.use(adminMonitorRoutes(opsFor));
  admin.use(adminAccessRoutes(opsFor, deps.sessions));
  admin.use(adminCallRoutes(opsFor, deps.calls, deps.cdr, deps.tickets));
  app.use('/admin', admin);

  if (deps.dashboard) app.use(...dashboardRoutes(deps.dashboard.dir));
  app.use(notFoundHandler);
  app.use(createErrorHandler(deps.logger, deps.reportUnexpected));
  return app;
}
