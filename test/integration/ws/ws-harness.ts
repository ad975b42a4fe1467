// A real relay WebSocket endpoint for tests: an http.Server on a free loopback
// port with attachRelayWebSocket, the real auth services (createAuthServices,
// as the relay builds them) over a real store (SQLite in a temporary data
// dir), the real event hub and ticket store.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { ApiKeyService } from '../../../relay/auth/api-key-service.js';
import { createAuthServices } from '../../../relay/auth/auth-services.js';
import type { SessionService } from '../../../relay/auth/session-service.js';
import type { ComponentHealth, ComponentName, RelayFrame } from '../../../relay/contract/api-types.js';
import { systemClock, type Clock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import { attachRelayWebSocket, type RelayWebSocketOptions, type RelayWebSocketServer } from '../../../relay/http/ws/relay-websocket.js';
import { TicketStore } from '../../../relay/http/ws/ticket-store.js';
import { openStore, type Store } from '../../../relay/store/store.js';

export interface WsHarness {
  url: string;
  port: number;
  hub: EventHub;
  tickets: TicketStore;
  keys: ApiKeyService;
  sessions: SessionService;
  ws: RelayWebSocketServer;
  store: Store;
  /** A key with `read` (and `control`). */
  readKey: string;
  readKeyId: string;
  /** A key with `control` only. */
  controlOnlyKey: string;
  components: Record<ComponentName, ComponentHealth>;
  close(): Promise<void>;
}

export interface WsHarnessOptions {
  capacity?: number;
  /** An existing hub (e.g. one a ConnectionMonitor publishes to). */
  hub?: EventHub;
  /** Health for the hello frame; default: a fixed set. */
  components?: () => Record<ComponentName, ComponentHealth>;
  ticketClock?: Clock;
  ws?: RelayWebSocketOptions;
}

export async function startWsHarness(opts: WsHarnessOptions = {}): Promise<WsHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-ws-'));
  const store: Store = await openStore({ dataDir: path.join(dir, 'data') }, silentLogger);
  const { apiKeys: keys, sessions } = createAuthServices(store, { clock: systemClock, logger: silentLogger, bcryptCost: 4 });
  const hub = opts.hub ?? new EventHub({ capacity: opts.capacity ?? 10_000 });
  const tickets = new TicketStore({ clock: opts.ticketClock ?? systemClock });
  const since = new Date().toISOString();
  const components: Record<ComponentName, ComponentHealth> = {
    xapi: { state: 'connected', latencyMs: 4, lastError: null, since },
    callcontrol: { state: 'connected', latencyMs: 2, lastError: null, since },
    database: { state: 'unconfigured', latencyMs: null, lastError: null, since },
  };
  const server = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const ws = attachRelayWebSocket(server, { hub, keys, sessions, tickets, components: opts.components ?? (() => components), options: opts.ws });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const read = await keys.create('crm', ['read', 'control'], 'test');
  const control = await keys.create('dialer', ['control'], 'test');
  return {
    url: `ws://127.0.0.1:${port}/relay/ws`,
    port,
    hub,
    tickets,
    keys,
    sessions,
    ws,
    store,
    readKey: read.apiKey,
    readKeyId: read.id,
    controlOnlyKey: control.apiKey,
    components,
    async close() {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      hub.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Refusal { status: number; body: { error: string; code: string } }

/** A connected test client that records every frame. */
export class TestClient {
  readonly frames: RelayFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as RelayFrame);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: String(reason) });
      for (const w of this.waiters.splice(0)) w();
    }));
  }

  /** Resolves once `pred(frames)` holds; rejects after `ms`. */
  waitFor(pred: (frames: RelayFrame[]) => boolean, ms = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms with ${this.frames.length} frames`)), ms);
      const check = () => {
        if (pred(this.frames)) {
          clearTimeout(timer);
          resolve();
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(new Error(`socket closed with ${this.frames.length} frames`));
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  async close(): Promise<void> {
    if (this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close();
      await this.closed;
    }
  }
}

/** Connects; resolves with a client on 101, or with the HTTP refusal (status and JSON body). */
export function connect(url: string, opts: { headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<TestClient | Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: opts.headers, autoPong: opts.autoPong ?? true });
    // Attach the frame recorder before 'open' so the hello frame is never missed.
    const client = new TestClient(ws);
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c));
      res.on('end', () => {
        ws.terminate();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as Refusal['body'] });
      });
    });
    ws.once('error', (e) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(e);
    });
  });
}

export async function connectOk(url: string, opts: Parameters<typeof connect>[1] = {}): Promise<TestClient> {
  const r = await connect(url, opts);
  if (!(r instanceof TestClient)) throw new Error(`expected an upgrade, got ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

export async function refused(url: string, opts: Parameters<typeof connect>[1] = {}): Promise<Refusal> {
  const r = await connect(url, opts);
  if (r instanceof TestClient) {
    await r.close();
    throw new Error('expected the upgrade to be refused');
  }
  return r;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
export const seqOf = (f: RelayFrame) => f.seq;
