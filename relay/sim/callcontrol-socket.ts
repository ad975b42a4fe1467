// Call Control WebSocket (/callcontrol/ws): authenticated with the same
// Bearer token as REST; each participant change becomes a notification frame
// naming the entity, which the client then GETs. Missed events are never
// replayed, as with 3CX: a reconnecting client must resync from REST.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../core/logger.js';
import type { MalformedKind } from './faults.js';
import { bearerToken } from '../core/bearer-token.js';

export const CALLCONTROL_WS_PATH = '/callcontrol/ws';

export interface SocketHubDeps {
  isTokenValid(token: string): boolean;
  failing(): boolean;
  /** Sockets stay open but answer no ping and carry no frame (fault switch). */
  silent(): boolean;
  logger: Logger;
  onConnection(): void;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

export class CallControlSocketHub {
  // Pongs are sent by hand, so the silent-socket fault can withhold them.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, autoPong: false });
  private sequence = 0;

  constructor(private readonly deps: SocketHubDeps) {}

  get openSockets(): number {
    return this.wss.clients.size;
  }

  /** Hook for the HTTP server's 'upgrade' event; true when the path was ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (path !== CALLCONTROL_WS_PATH) return false;
    if (this.deps.failing()) {
      refuse(socket, 500, 'Internal Server Error');
      return true;
    }
    const token = bearerToken(req.headers.authorization);
    if (!token || !this.deps.isTokenValid(token)) {
      refuse(socket, 401, 'Unauthorized');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.deps.onConnection();
      ws.on('error', (err) => this.deps.logger.debug('sim: call control socket error', { error: err.message }));
      // Clients may send requests over the socket; the simulator does not act on them.
      ws.on('message', () => undefined);
      ws.on('ping', (data) => {
        if (!this.deps.silent() && ws.readyState === WebSocket.OPEN) ws.pong(data);
      });
    });
    return true;
  }

  /** Notify every socket: 0 upsert, 1 remove. */
  notify(eventType: 0 | 1, dn: string, participantId: number): void {
    if (this.wss.clients.size === 0 || this.deps.silent()) return;
    const frame = JSON.stringify({
      sequence: ++this.sequence,
      event: { event_type: eventType, entity: `/callcontrol/${dn}/participants/${participantId}`, attached_data: null },
    });
    for (const ws of this.wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  sendMalformed(kind: MalformedKind): void {
    if (this.deps.silent()) return;
    const frame = kind === 'not-json'
      ? '{"sequence": 1, "event": {"event_type": 0, "entity": '
      : JSON.stringify({ sequence: 'x', event: { event_type: 'upsert', entity: 42 } });
    for (const ws of this.wss.clients) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  }

  /** Abrupt loss: no close handshake, as when the network or PBX goes away. */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
