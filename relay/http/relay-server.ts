// The relay's listening side as one part: the express app and the WebSocket
// endpoint on one http.Server, under one Host/Origin policy that knows the
// port actually bound (port 0 picks a free one). close() drains within a
// deadline: sockets first, then in-flight requests, stragglers cut.
// Beyond loopback it serves only as listen-security.ts allows: https with
// the given certificate, or behind a trusted TLS-terminating proxy.
import type { AddressInfo, Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import { createHttpApp } from './app.js';
import type { HttpAppDeps } from './http-deps.js';
import { createRelayHttpServer, SERVER_TIMEOUTS } from './http-server.js';
import { exposureProblem, type ListenSecurity } from './security/listen-security.js';
import type { RequestPolicyOptions } from './security/request-policy.js';
import { attachRelayWebSocket, type RelayWebSocketDeps, type RelayWebSocketOptions, type RelayWebSocketServer } from './ws/relay-websocket.js';

export interface RelayServerOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Extra Host names and browser origins allowed besides the relay's own. */
  allowedHostNames: string[];
  allowedOrigins: string[];
  /** TLS credentials or a trusted proxy; required for any host but loopback. */
  security?: ListenSecurity | undefined;
  app: Omit<HttpAppDeps, 'policy'>;
  ws: Omit<RelayWebSocketDeps, 'options'> & { options?: Omit<RelayWebSocketOptions, 'policy'> };
  clock: Clock;
}

export interface RelayServer {
  readonly url: string;
  readonly ws: RelayWebSocketServer;
  /** Closes sockets, then lets requests finish until `deadline` (clock ms) minus a second. */
  close(deadline: number, step?: (name: string) => void): Promise<void>;
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export async function startRelayServer(o: RelayServerOptions): Promise<RelayServer> {
  const problem = exposureProblem({ host: o.host, security: o.security, allowedHostNames: o.allowedHostNames, allowedOrigins: o.allowedOrigins });
  if (problem) throw new Error(problem);
  let port = o.port;
  const tls = o.security?.tls;
  const policy: RequestPolicyOptions = {
    port: () => port, extraHostNames: o.allowedHostNames, allowedOrigins: o.allowedOrigins,
    ...(tls ? { tls: true } : {}),
    ...(o.security?.trustProxy ? { trustProxy: o.security.trustProxy } : {}),
  };
  const server = createRelayHttpServer(createHttpApp({ ...o.app, policy }), SERVER_TIMEOUTS, tls);
  // Every TCP connection, so a stop also cuts those HTTP does not know yet
  // (a TLS handshake still pending would otherwise hold close() for its timeout).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const ws = attachRelayWebSocket(server, { ...o.ws, options: { ...o.ws.options, policy } });
  const close: RelayServer['close'] = async (deadline, step) => {
    const httpClosed = new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await ws.close();
    step?.('websockets');
    // In-flight requests get until the budget; stragglers (a stuck export) are cut.
    const force = o.clock.setTimeout(() => {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    }, Math.max(0, deadline - o.clock.now() - 1_000));
    await httpClosed;
    force.cancel();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await close(o.clock.now());
    throw e;
  }
  port = (server.address() as AddressInfo).port;
  return { url: `${tls ? 'https' : 'http'}://${formatHost(o.host)}:${port}`, ws, close };
}
