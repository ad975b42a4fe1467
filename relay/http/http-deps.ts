// What the HTTP layer needs from the rest of the relay, as narrow interfaces:
// routes parse input, call one of these, and map the result. The composition
// root (relay/service.ts) supplies them from the real services.
import type { RequestHandler } from 'express';
import type { AdminHttpOperations } from '../admin/admin-operations.js';
import type { AdminSessions } from '../admin/admin-sessions.js';
import type { AdminUser, Health, Permission } from '../contract/api-types.js';
import type { Logger } from '../core/logger.js';
import type { ActiveCallsService } from '../live-calls/active-calls-service.js';
import type { CdrPort } from '../pbx/upstream.js';
import type { UnexpectedErrorSink } from './error-handler.js';
import type { AlertHistorySource } from './routes/alerts.js';
import type { SupervisorView } from './routes/relay-supervisor.js';
import type { RequestPolicyOptions } from './security/request-policy.js';
import type { IssuedTicket, WsPrincipal } from './ws/ticket-store.js';

// The admin service's sign-in interface, named here for the routes that use it.
export type { AdminSessionInfo, AdminSessions } from '../admin/admin-sessions.js';

export interface ApiKeyPrincipal {
  id: string;
  clientName: string;
  permissions: readonly Permission[];
}

export interface ApiKeyAuthenticator {
  /** The key's owner when the presented key is known and active; null otherwise. */
  authenticate(presentedKey: string): Promise<ApiKeyPrincipal | null>;
}

export interface RequestLogEntry {
  keyId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Time of the request in ms. */
  at: number;
}
/** The store's batched RequestLogWriter fits this. */
export interface RequestLogSink { record(entry: RequestLogEntry): void }

export interface WsTicketIssuer { issue(principal: WsPrincipal): IssuedTicket }

export interface HttpAppDeps {
  logger: Logger;
  policy: RequestPolicyOptions;
  health(): Health;
  apiKeys: ApiKeyAuthenticator;
  sessions: AdminSessions;
  /** Role-checked admin operations acting as `user`. */
  adminAs(user: AdminUser): AdminHttpOperations;
  calls: ActiveCallsService;
  /** Queues, agents and the PBX overview, from the relay's one shared refresh. */
  supervisor: SupervisorView;
  /** Current CDR client; undefined when no call-record database is configured. */
  cdr(): CdrPort | undefined;
  tickets: WsTicketIssuer;
  /** Alert history for `GET /relay/alerts`. */
  alerts: AlertHistorySource;
  requestLog: RequestLogSink;
  /** Team mode: runs before the routes (a follower hands leader-only requests to the leader). */
  beforeRoutes?: RequestHandler;
  reportUnexpected: UnexpectedErrorSink;
  /** Per-key request budget; default 60,000 per minute. */
  rateLimit?: { windowMs: number; limit: number };
  /** Built dashboard to serve at `/`. */
  dashboard?: { dir: string };
  now(): number;
}
