// The relay's http.Server with explicit timeouts instead of Node's defaults
// (60 s for headers, 5 min for a request): a local client that opens
// connections and trickles bytes (slowloris) holds each one for seconds, not
// minutes. requestTimeout covers receiving the request only, so a long CSV
// download is unaffected; upgraded WebSockets leave these timers behind.
import http from 'node:http';

export interface ServerTimeouts {
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (≥ headersTimeoutMs). */
  requestTimeoutMs: number;
  /** Idle time a kept-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

export function createRelayHttpServer(listener: http.RequestListener, timeouts: ServerTimeouts = SERVER_TIMEOUTS): http.Server {
  const server = http.createServer({
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // How often Node checks the two above; its default (30 s) would let them overrun.
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 4))),
  }, listener);
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}
