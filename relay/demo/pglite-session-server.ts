// Serves one PGlite to several PostgreSQL client connections on loopback.
// pglite-socket's own server queues single protocol messages, so two clients'
// extended-protocol sequences (Parse/Bind/Execute/Sync with the unnamed
// statement) interleave and fail with "unnamed prepared statement does not
// exist". PGlite is one session, so this queue hands it to one connection at
// a time for a whole message group: until that connection's Sync or simple
// Query completes outside a transaction (inside one, until it ends). We keep
// pglite-socket's per-connection protocol handler and swap in this queue.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'
const PROTOCOL_3 = 196608;

function endsGroup(message: Uint8Array): boolean {
  const type = message[0];
  if (type === SYNC || type === QUERY || type === TERMINATE) return true;
  // The startup packet has no type byte: length, then the protocol version.
  if (message.length >= 8) {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    if (view.getInt32(4) === PROTOCOL_3) return true;
  }
  return false;
}

/** The queue interface PGLiteSocketHandler calls (public methods of its QueryQueueManager). */
class SessionQueue {
  private owner: number | null = null;
  private readonly waiting: Array<{ handlerId: number; resolve: () => void; reject: (e: Error) => void }> = [];
  // The handler parses each incoming chunk in its own task, so one
  // connection can enqueue its next message before the previous one ran:
  // chain each connection's messages so they run in the order they came.
  private readonly tails = new Map<number, Promise<unknown>>();

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    const previous = this.tails.get(handlerId) ?? Promise.resolve();
    const run = previous.then(() => this.run(handlerId, message, onData));
    const tail = run.catch(() => {});
    this.tails.set(handlerId, tail);
    void tail.then(() => {
      if (this.tails.get(handlerId) === tail) this.tails.delete(handlerId);
    });
    return run;
  }

  private async run(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.owner !== handlerId) await this.acquire(handlerId);
    let bytes = 0;
    try {
      await this.db.runExclusive(() => this.db.execProtocolRawStream(message, {
        onRawData: (data: Uint8Array) => {
          bytes += data.length;
          onData(data);
        },
      }));
    } finally {
      if (endsGroup(message) && !this.db.isInTransaction()) this.release(handlerId);
    }
    return bytes;
  }

  getQueueLength(): number {
    return this.waiting.length;
  }

  clearQueueForHandler(handlerId: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i]!.handlerId === handlerId) this.waiting.splice(i, 1)[0]!.reject(new Error('Handler disconnected'));
    }
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    // A client that vanished mid-transaction must not keep the session.
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.release(handlerId);
  }

  private acquire(handlerId: number): Promise<void> {
    if (this.owner === null) {
      this.owner = handlerId;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.waiting.push({ handlerId, resolve, reject }));
  }

  private release(handlerId: number): void {
    if (this.owner !== handlerId) return;
    const next = this.waiting.shift();
    this.owner = next ? next.handlerId : null;
    next?.resolve();
  }
}

export interface PgliteServer {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Listens at once; connections made before `database` is ready wait (their
 * bytes stay buffered in the paused socket) and are served when it is.
 */
export async function servePglite(database: Promise<PGlite>, opts: { host?: string; port?: number } = {}): Promise<PgliteServer> {
  const host = opts.host ?? '127.0.0.1';
  const queue = database.then((db) => new SessionQueue(db));
  queue.catch(() => {}); // the owner of `database` reports its failure
  const handlers = new Set<PGLiteSocketHandler>();
  const sockets = new Set<net.Socket>();
  let stopped = false;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    queue.then((q) => {
      if (stopped || socket.destroyed) return void socket.destroy();
      // The handler's type names pglite-socket's queue class; ours has the same public methods.
      const handler = new PGLiteSocketHandler({ queryQueue: q as unknown as ConstructorParameters<typeof PGLiteSocketHandler>[0]['queryQueue'], closeOnDetach: true });
      handlers.add(handler);
      const forget = () => handlers.delete(handler);
      handler.addEventListener('close', forget);
      handler.addEventListener('error', forget);
      return handler.attach(socket).catch(() => {
        forget();
        socket.destroy();
      });
    }, () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    async stop() {
      stopped = true;
      await Promise.all([...handlers].map((h) => h.detach(true)));
      handlers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
