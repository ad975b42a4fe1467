// The relay's server with explicit timeouts instead of Node's defaults
// (60 s for headers, 5 min for a request): a local client that opens
// connections and trickles bytes (slowloris) holds each one for seconds, not
// minutes. requestTimeout covers receiving the request only, so a long CSV
// download is unaffected; upgraded WebSockets leave these timers behind.
// With TLS credentials it is an https server (the WebSocket upgrade rides on
// it as wss://); a plain-http request to it fails the handshake and the
// connection is closed, nothing else.
import http from 'node:http';
import https from 'node:https';
import type { TlsCredentials } from './security/listen-security.js';

export interface ServerTimeouts {
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (≥ headersTimeoutMs). */
  requestTimeoutMs: number;
  /** Idle time a kept-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
}

export const SERVER_TIMEOUTS: ServerTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

export function createRelayHttpServer(
  listener: http.RequestListener,
  timeouts: ServerTimeouts = SERVER_TIMEOUTS,
  tls?: TlsCredentials,
): http.Server {
  const options: http.ServerOptions = {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    // How often Node checks the two above; its default (30 s) would let them overrun.
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(timeouts.headersTimeoutMs / 4))),
  };
  // An https.Server is an http.Server in every way the relay uses (request,
  // upgrade, close*Connections); Node's typings just keep them apart.
  const server = tls
    ? https.createServer({ ...options, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', handshakeTimeout: timeouts.headersTimeoutMs }, listener) as unknown as http.Server
    : http.createServer(options, listener);
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}
