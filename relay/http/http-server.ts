// The relay's server with explicit timeouts instead of Node's defaults
// (60 s for headers, 5 min for a request): a local client that opens
// connections and trickles bytes (slowloris) holds each one for seconds, not
// minutes. requestTimeout covers receiving the request only, so a long CSV
// download is unaffected; upgraded WebSockets leave these timers behind.
// With TLS credentials it is an https server (the WebSocket upgrade rides on
// it as wss://); a plain-http request to it gets one 400 saying to use
// https, in clear text but carrying nothing, and the connection is closed.
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
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
  let server: http.Server;
  if (tls) {
    const secure = https.createServer({ ...options, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', handshakeTimeout: timeouts.headersTimeoutMs }, listener);
    answerPlainHttp(secure, timeouts.headersTimeoutMs);
    server = secure as unknown as http.Server;
  } else {
    server = http.createServer(options, listener);
  }
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

const TLS_HANDSHAKE = 0x16; // the first byte of every TLS connection (a handshake record)
const HTTPS_ONLY = JSON.stringify({ error: 'this port speaks https only; connect with https://', code: 'https_required' });

/**
 * Looks at each connection's first byte before TLS takes it: a TLS handshake
 * goes on to the https server as usual (the byte is put back); anything else
 * is a client speaking plain http (or noise), answered with a 400 and closed,
 * so a person who typed http:// learns why instead of seeing an empty reply.
 */
function answerPlainHttp(server: https.Server, firstByteTimeoutMs: number): void {
  const tlsListeners = server.listeners('connection') as Array<(socket: net.Socket) => void>;
  server.removeAllListeners('connection');
  server.on('connection', (socket: net.Socket) => {
    // Until TLS has the socket, its errors (a reset) are ours to swallow.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    const timer = setTimeout(() => socket.destroy(), firstByteTimeoutMs);
    socket.once('readable', () => {
      clearTimeout(timer);
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.destroy();
        return;
      }
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) {
        socket.off('error', onError);
        for (const l of tlsListeners) l.call(server, socket);
        return;
      }
      socket.once('finish', () => socket.destroy());
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(HTTPS_ONLY)}\r\nConnection: close\r\n\r\n${HTTPS_ONLY}`,
      );
    });
    socket.once('close', () => clearTimeout(timer));
  });
}
