// Delivers frames to one WebSocket client: `hello`, then the replay after
// `?since=`, then live frames — every seq exactly once, in order.
//
// The hub's replay buffer doubles as this client's backlog: while catching up
// the stream reads from the buffer in order (waiting for the socket to drain
// when its send buffer fills) and ignores live frames, which land in the
// buffer anyway; once caught up it switches to live delivery. A live client
// whose send buffer still passes the limit is closed with 1013 rather than
// being allowed to grow memory without bound.
import type { WebSocket } from 'ws';
import type { ComponentHealth, ComponentName, HelloFrame, ResyncRequiredFrame } from '../../contract/api-types.js';
import type { Logger } from '../../core/logger.js';
import type { FrameSource, WireFrame } from '../../events/event-hub.js';
import type { WsPrincipal } from './ticket-store.js';

export const CLOSE_TRY_AGAIN_LATER = 1013;
const FLUSH_BYTES = 64 * 1024;

export interface FrameStreamOptions {
  /** Send-buffer limit per client, in bytes. */
  maxBufferedBytes: number;
  /**
   * A `?since=` ahead of this relay's newest frame: how long to wait for it
   * to arrive before answering resync_required. 0 (a single relay: such a
   * seq is a previous run's). A team follower is a few frames behind the
   * leader its client came from, and the frames are in the team log: waiting
   * briefly spares the client a full resync after a failover.
   */
  aheadGraceMs?: number;
}

const AHEAD_POLL_MS = 20;

type Mode = 'catching_up' | 'live' | 'closed';

/** The TCP socket under the WebSocket (from the upgrade), for write batching. */
export interface CorkableSocket { cork(): void; uncork(): void }

export class FrameStream {
  private mode: Mode = 'live';
  private lastSent = 0;
  private unsubscribe: (() => void) | null = null;
  private corked = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: CorkableSocket,
    readonly principal: WsPrincipal,
    private readonly hub: FrameSource,
    private readonly opts: FrameStreamOptions,
    private readonly logger: Logger,
  ) {}

  /** Sends hello and starts delivery; `since` asks for the frames after that seq first. */
  start(components: Record<ComponentName, ComponentHealth>, since: number | undefined): void {
    // Subscribe before reading latestSeq so nothing published from here on can be missed.
    this.unsubscribe = this.hub.subscribe((_frame, wire) => this.onLive(wire));
    const latest = this.hub.latestSeq;
    this.sendRaw(toBytes({ type: 'hello', seq: latest, components } satisfies HelloFrame));
    this.lastSent = latest;
    if (since === undefined || since === latest) return;
    if (since > latest && (this.opts.aheadGraceMs ?? 0) > 0 && Number.isInteger(since)) {
      // Live frames land in the buffer meanwhile; the catch-up reads them from there.
      this.mode = 'catching_up';
      void this.awaitSeq(since, this.opts.aheadGraceMs!).then(() => {
        if (this.mode !== 'closed') this.replayFrom(since);
      });
      return;
    }
    this.replayFrom(since);
  }

  /** The frames after `since`, then live; or resync_required at the newest seq, then live from there. */
  private replayFrom(since: number): void {
    const replay = this.hub.since(since);
    if (replay.kind === 'resync_required') {
      this.mode = 'live';
      this.lastSent = this.hub.latestSeq;
      this.sendRaw(toBytes({ type: 'resync_required', seq: this.lastSent } satisfies ResyncRequiredFrame));
      return;
    }
    this.lastSent = since;
    this.mode = 'catching_up';
    void this.catchUp(replay.frames);
  }

  /** True once the hub holds `seq`, false after `graceMs` or when the stream closed. */
  private async awaitSeq(seq: number, graceMs: number): Promise<boolean> {
    const deadline = Date.now() + graceMs;
    while (this.mode !== 'closed' && this.hub.latestSeq < seq) {
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, AHEAD_POLL_MS));
    }
    return this.mode !== 'closed';
  }

  /** Stops delivery (socket closing or closed). */
  stop(): void {
    this.mode = 'closed';
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  get isAdmin(): boolean { return this.principal.kind === 'admin'; }

  private onLive(frame: WireFrame): void {
    if (this.mode === 'closed') return;
    if (frame.type === 'error_logged') {
      // Unsequenced, admin-only notification; see event-hub.ts.
      if (this.isAdmin) this.sendLive(frame);
      return;
    }
    // While catching up, the buffer holds this frame; catchUp() will reach it.
    if (this.mode !== 'live' || frame.seq <= this.lastSent) return;
    if (frame.seq !== this.lastSent + 1) {
      // The hub jumped past frames this client never had (a team follower's
      // buffer restarted after the log was pruned past it): never a silent
      // gap. Its reconnect with ?since= gets resync_required.
      this.overflow('frames were skipped; reconnect with ?since= to resync');
      return;
    }
    if (this.sendLive(frame)) this.lastSent = frame.seq;
  }

  private sendLive(frame: WireFrame): boolean {
    if (this.ws.bufferedAmount > this.opts.maxBufferedBytes) {
      this.overflow('send buffer limit exceeded');
      return false;
    }
    this.sendRaw(frame.bytes);
    return true;
  }

  private async catchUp(first: readonly WireFrame[]): Promise<void> {
    let batch = first;
    // Wait for the socket to drain at half the limit, so a replay never trips the cap by itself.
    const softLimit = Math.max(1, Math.floor(this.opts.maxBufferedBytes / 2));
    for (;;) {
      for (const frame of batch) {
        if (this.mode !== 'catching_up') return;
        if (frame.seq <= this.lastSent) continue;
        const data = frame.bytes;
        this.lastSent = frame.seq;
        if (this.ws.bufferedAmount + data.length > softLimit) await this.sendAndDrain(data);
        else this.sendRaw(data);
      }
      if (this.mode !== 'catching_up') return;
      if (this.lastSent >= this.hub.latestSeq) {
        this.mode = 'live';
        return;
      }
      const next = this.hub.since(this.lastSent);
      if (next.kind === 'resync_required') {
        // Live traffic outran this client by a whole buffer: it cannot keep up.
        this.overflow('client fell behind the replay buffer');
        return;
      }
      batch = next.frames;
    }
  }

  private sendRaw(data: Buffer): void {
    this.batch();
    this.ws.send(data, TEXT, errorIgnored);
    // A big burst in one tick goes out in slices, so batching never holds more
    // in memory than the kernel would have taken: the 1013 limit keeps its meaning.
    if (this.corked && this.ws.bufferedAmount >= FLUSH_BYTES) this.flush();
  }

  /**
   * Frames sent in the same tick leave in one write: a system call per frame
   * per client is what limits fan-out (200 clients x 1,000 frames/s), and
   * under load frames arrive in bursts, so batching grows with the load
   * without adding latency.
   */
  private batch(): void {
    if (this.corked) return;
    this.corked = true;
    this.socket.cork();
    process.nextTick(this.flush);
  }

  private readonly flush = (): void => {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  };

  private sendAndDrain(data: Buffer): Promise<void> {
    // The send callback fires once the data has been handed to the OS (or the socket died).
    this.batch();
    return new Promise((resolve) => this.ws.send(data, TEXT, () => resolve()));
  }

  private overflow(reason: string): void {
    this.logger.warn('closing slow websocket client', { reason, bufferedBytes: this.ws.bufferedAmount, lastSeq: this.lastSent });
    this.stop();
    this.ws.close(CLOSE_TRY_AGAIN_LATER, reason);
  }
}

// Frames are JSON text; the hub encodes each once as a Buffer for all clients.
const TEXT = { binary: false } as const;

function toBytes(frame: object): Buffer {
  return Buffer.from(JSON.stringify(frame));
}

// Send errors surface as the socket's 'close'/'error'; nothing to do per frame.
function errorIgnored(): void {}
