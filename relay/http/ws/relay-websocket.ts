// The local WebSocket API, GET /relay/ws (contract section 3), on the relay's
// own http.Server. The upgrade is decided before any WebSocket exists: Host and
// Origin rule (403), credentials from a header or a one-time ticket, never a
// key in the URL (401), query validated (400). Accepted sockets get a
// FrameStream; a heartbeat drops clients that stop answering pings, and
// revoking a key or ending a session closes its sockets at once.
import { hasPermission } from '../../auth/permissions.js';
import type { SessionRevocation } from '../../auth/session-service.js';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ComponentHealth, ComponentName, Permission } from '../../contract/api-types.js';
import { WS_PATH } from '../../contract/routes.js';
import { wsQuery } from '../../contract/schemas.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { describeIssues } from '../../core/parse-input.js';
import type { FrameSource } from '../../events/event-hub.js';
import { hasKeyInQuery, readApiKey } from '../security/api-key-header.js';
import { checkIncomingRequest, type RequestPolicyOptions } from '../security/request-policy.js';
import { FrameStream } from './frame-stream.js';
import type { TicketStore, WsPrincipal } from './ticket-store.js';

/** What the WebSocket server needs from the API key service (relay/auth). */
export interface KeyAuthenticator {
  authenticate(key: string): Promise<{ id: string; permissions: readonly Permission[] } | null>;
  on(event: 'revoked', listener: (keyId: string) => void): unknown;
  off(event: 'revoked', listener: (keyId: string) => void): unknown;
}

/** What the WebSocket server needs from the session service (relay/auth): ended sessions close their sockets. */
export interface SessionRevocations {
  on(event: 'revoked', listener: (revocation: SessionRevocation) => void): unknown;
  off(event: 'revoked', listener: (revocation: SessionRevocation) => void): unknown;
}

export const CLOSE_CREDENTIALS_REVOKED = 4001;
export const CLOSE_GOING_AWAY = 1001;

export interface RelayWebSocketOptions {
  path?: string;
  /** Per-client send buffer limit before closing with 1013 (default 1 MiB). */
  maxBufferedBytes?: number;
  /** A `?since=` ahead of the newest frame waits this long for it before resync_required (default 0; team mode sets it). */
  aheadGraceMs?: number;
  /** Ping interval; a client that has not answered the previous ping is terminated (default 15 s). */
  heartbeatMs?: number;
  /** Largest message a client may send us (clients have nothing to say; default 4 KiB). */
  maxPayloadBytes?: number;
  /** How long close() waits for clients to acknowledge the close before terminating them (default 1 s). */
  closeGraceMs?: number;
  /** Host and Origin rule, shared with the REST API. */
  policy?: RequestPolicyOptions;
  /**
   * Open sockets one API key may hold; one more is refused with 429 (default 256: one
   * integration key can serve every agent's CRM page through tickets, so the cap is
   * sized for a call centre, not for one process).
   */
  maxSocketsPerKey?: number;
}

export interface RelayWebSocketDeps {
  hub: FrameSource;
  keys: KeyAuthenticator;
  tickets: TicketStore;
  /** Component health for the `hello` frame. */
  components: () => Record<ComponentName, ComponentHealth>;
  sessions: SessionRevocations;
  logger?: Logger;
  clock?: Clock;
  options?: RelayWebSocketOptions;
}

export interface RelayWebSocketServer {
  readonly clientCount: number;
  /** Closes every socket whose principal matches; returns how many. */
  closeWhere(pred: (p: WsPrincipal) => boolean, code: number, reason: string): number;
  /** Stops accepting, closes every client (terminating stragglers), clears timers and listeners. */
  close(): Promise<void>;
}

interface Client { ws: WebSocket; stream: FrameStream; alive: boolean }

class UpgradeRefusal {
  constructor(readonly status: number, readonly code: string, readonly message: string) {}
}

export function attachRelayWebSocket(server: HttpServer, deps: RelayWebSocketDeps): RelayWebSocketServer {
  const opts = deps.options ?? {};
  const path = opts.path ?? WS_PATH;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 1024 * 1024;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const closeGraceMs = opts.closeGraceMs ?? 1_000;
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? systemClock;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes ?? 4096, perMessageDeflate: false });
  const clients = new Set<Client>();
  let closing = false;
  // Sockets per API key, counted from the accepted upgrade to the close, so
  // one leaked or hostile key cannot exhaust the relay's sockets and memory.
  const maxPerKey = opts.maxSocketsPerKey ?? 256;
  const perKey = new Map<string, number>();
  const reserve = (p: WsPrincipal): (() => void) | null => {
    if (p.kind !== 'key') return () => undefined;
    const n = perKey.get(p.keyId) ?? 0;
    if (n >= maxPerKey) return null;
    perKey.set(p.keyId, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (perKey.get(p.keyId) ?? 1) - 1;
      if (left > 0) perKey.set(p.keyId, left);
      else perKey.delete(p.keyId);
    };
  };

  const refuse = (socket: Duplex, r: UpgradeRefusal): void => {
    const body = JSON.stringify({ error: r.message, code: r.code });
    const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[r.status] ?? 'Error';
    const extra = r.status === 401 ? 'WWW-Authenticate: Bearer\r\n' : '';
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 ${r.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`,
    );
  };

  const authorize = async (req: IncomingMessage, params: URLSearchParams): Promise<{ principal: WsPrincipal; since: number | undefined }> => {
    const verdict = checkIncomingRequest(req, opts.policy ?? {});
    if (!verdict.ok) throw new UpgradeRefusal(403, 'forbidden', verdict.message);
    if (hasKeyInQuery(params)) {
      throw new UpgradeRefusal(401, 'unauthorized',
        'API keys are never accepted in a URL; send Authorization: Bearer <key> or X-API-Key, or connect with ?ticket= from POST /relay/ws-ticket');
    }
    const query = Object.fromEntries(params);
    const parsed = wsQuery.safeParse(query);
    if (!parsed.success) {
      throw new UpgradeRefusal(400, 'bad_request', `invalid query (allowed: ticket, since): ${describeIssues(parsed.error, 'query', query)}`);
    }
    const key = readApiKey(req.headers);
    let principal: WsPrincipal | null;
    if (key !== null) {
      const found = await deps.keys.authenticate(key);
      if (!found) throw new UpgradeRefusal(401, 'unauthorized', 'unknown or revoked API key');
      principal = { kind: 'key', keyId: found.id, permissions: found.permissions };
    } else if (parsed.data.ticket !== undefined) {
      principal = deps.tickets.redeem(parsed.data.ticket);
      if (!principal) throw new UpgradeRefusal(401, 'unauthorized', 'the ticket is unknown, already used or expired; request a new one');
    } else {
      throw new UpgradeRefusal(401, 'unauthorized', 'an API key (Authorization: Bearer or X-API-Key header) or a ?ticket= is required');
    }
    if (principal.kind === 'key' && !hasPermission(principal.permissions, 'read')) {
      throw new UpgradeRefusal(403, 'forbidden', 'this API key lacks the `read` permission needed for the event stream');
    }
    return { principal, since: parsed.data.since };
  };

  const accept = (ws: WebSocket, socket: Duplex, principal: WsPrincipal, since: number | undefined, release: () => void): void => {
    const stream = new FrameStream(ws, socket, principal, deps.hub, { maxBufferedBytes, aheadGraceMs: opts.aheadGraceMs ?? 0 }, logger);
    const client: Client = { ws, stream, alive: true };
    clients.add(client);
    ws.on('pong', () => { client.alive = true; });
    ws.on('error', (err) => logger.debug('websocket client error', { err }));
    ws.on('close', () => {
      release();
      stream.stop();
      clients.delete(client);
    });
    // Clients have nothing to send; anything they do send is ignored.
    stream.start(deps.components(), since);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://relay.invalid');
    } catch {
      refuse(socket, new UpgradeRefusal(400, 'bad_request', 'malformed request URL'));
      return;
    }
    if (url.pathname !== path) {
      // Leave other paths to other upgrade handlers, if anyone else listens.
      if (server.listenerCount('upgrade') <= 1) refuse(socket, new UpgradeRefusal(404, 'not_found', `no WebSocket endpoint at ${url.pathname}; use ${path}`));
      return;
    }
    if (closing) {
      refuse(socket, new UpgradeRefusal(503, 'unavailable', 'the relay is shutting down'));
      return;
    }
    // Until ws owns the socket, a reset by the peer must not become an unhandled 'error'.
    const onSocketError = (err: Error) => logger.debug('upgrade socket error', { err });
    socket.on('error', onSocketError);
    authorize(req, url.searchParams).then(
      ({ principal, since }) => {
        if (closing || socket.destroyed) {
          socket.destroy();
          return;
        }
        const release = reserve(principal);
        if (!release) {
          refuse(socket, new UpgradeRefusal(429, 'rate_limited', `this API key already holds ${maxPerKey} open WebSockets; close one first`));
          return;
        }
        socket.once('close', release);
        wss.handleUpgrade(req, socket, head, (ws) => {
          socket.off('error', onSocketError);
          accept(ws, socket, principal, since, release);
        });
      },
      (e: unknown) => {
        if (e instanceof UpgradeRefusal) {
          refuse(socket, e);
          return;
        }
        logger.error('websocket upgrade failed', { err: e });
        refuse(socket, new UpgradeRefusal(503, 'unavailable', 'the relay could not check the credentials just now; try again'));
      },
    );
  };

  const closeWhere = (pred: (p: WsPrincipal) => boolean, code: number, reason: string): number => {
    let n = 0;
    for (const client of clients) {
      if (!pred(client.stream.principal)) continue;
      client.stream.stop();
      client.ws.close(code, reason);
      n++;
    }
    return n;
  };

  const onKeyRevoked = (keyId: string): void => {
    const match = (p: WsPrincipal) => p.kind === 'key' && p.keyId === keyId;
    deps.tickets.revokeWhere(match);
    const n = closeWhere(match, CLOSE_CREDENTIALS_REVOKED, 'api key revoked');
    if (n) logger.info('closed websockets of a revoked key', { keyId, sockets: n });
  };
  const onSessionRevoked = (r: SessionRevocation): void => {
    const match = (p: WsPrincipal) => p.kind === 'admin' && ('sessionId' in r ? p.sessionId === r.sessionId : p.username === r.username);
    deps.tickets.revokeWhere(match);
    closeWhere(match, CLOSE_CREDENTIALS_REVOKED, 'session ended');
  };

  let heartbeat: { cancel(): void } | null = null;
  const beat = (): void => {
    for (const client of clients) {
      if (!client.alive) {
        logger.info('terminating websocket client that missed a heartbeat');
        client.stream.stop();
        client.ws.terminate();
        continue;
      }
      client.alive = false;
      try {
        client.ws.ping();
      } catch {
        // Socket not open (closing): its 'close' will remove it.
      }
    }
    heartbeat = clock.setTimeout(beat, heartbeatMs);
  };
  heartbeat = clock.setTimeout(beat, heartbeatMs);

  server.on('upgrade', onUpgrade);
  deps.keys.on('revoked', onKeyRevoked);
  deps.sessions.on('revoked', onSessionRevoked);

  return {
    get clientCount() { return clients.size; },
    closeWhere,
    async close() {
      if (closing) return;
      closing = true;
      heartbeat?.cancel();
      heartbeat = null;
      server.off('upgrade', onUpgrade);
      deps.keys.off('revoked', onKeyRevoked);
      deps.sessions.off('revoked', onSessionRevoked);
      const pending = [...clients].map((c) => new Promise<void>((resolve) => {
        if (c.ws.readyState === c.ws.CLOSED) return resolve();
        c.ws.once('close', () => resolve());
        c.stream.stop();
        c.ws.close(CLOSE_GOING_AWAY, 'relay shutting down');
      }));
      // A real timer, not the injected clock: a test's hand-moved clock must not hang shutdown.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, closeGraceMs);
        timer.unref();
        void Promise.all(pending).then(() => { clearTimeout(timer); resolve(); });
      });
      for (const c of clients) c.ws.terminate();
      clients.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
