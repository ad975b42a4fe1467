// The browser's live link to the relay: a WebSocket opened with a single-use
// ticket (browsers cannot set headers on a WebSocket, and an API key or
// session token never goes in a URL), reconnected with capped exponential
// backoff and jitter, resumed with `?since=` so no frame is lost across a
// reconnect.
import type { RelayFrame } from '../../relay/contract/api-types.js';
import type { LinkState } from './relay-client.js';
import { ListenerSet } from './listener-set.js';

export interface LiveSocketOptions {
  /** Fetches a fresh ticket; rejects with `signedOut: true` when the session is gone. */
  getTicket(): Promise<string>;
  /** The ws:// URL for a ticket and the last sequence number seen. */
  socketUrl(ticket: string, since: number | null): string;
  createSocket?: (url: string) => WebSocket;
  /** Called when getTicket failed because the session ended; the link stops. */
  isSignedOutError?: (err: unknown) => boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export class LiveSocket {
  readonly frames = new ListenerSet<RelayFrame>();
  readonly states = new ListenerSet<LinkState>();
  readonly signedOut = new ListenerSet<void>();
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private lastSeq: number | null = null;
  private running = false;
  private current: LinkState = 'connecting';
  // Bumped on every stop/start so late callbacks of an old socket are ignored.
  private generation = 0;

  constructor(private readonly options: LiveSocketOptions) {}

  get state(): LinkState {
    return this.current;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.generation += 1;
    void this.connect(this.generation);
  }

  stop(): void {
    this.running = false;
    this.generation += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000, 'dashboard closed');
    }
    this.attempt = 0;
    this.lastSeq = null;
    this.setState('connecting');
  }

  private async connect(generation: number): Promise<void> {
    let ticket: string;
    try {
      ticket = await this.options.getTicket();
    } catch (err) {
      if (generation !== this.generation) return;
      if (this.options.isSignedOutError?.(err)) {
        this.stop();
        this.signedOut.emit();
        return;
      }
      this.scheduleRetry(generation);
      return;
    }
    if (generation !== this.generation) return;
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url));
    const socket = create(this.options.socketUrl(ticket, this.lastSeq));
    this.socket = socket;
    socket.onmessage = (event: MessageEvent) => {
      if (generation !== this.generation) return;
      this.receive(event.data);
    };
    socket.onclose = () => {
      if (generation !== this.generation) return;
      this.socket = null;
      this.scheduleRetry(generation);
    };
    // A failed socket also fires `close`, where the retry happens.
    socket.onerror = () => undefined;
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: RelayFrame;
    try {
      frame = JSON.parse(data) as RelayFrame;
    } catch {
      return; // a frame we cannot read is skipped, the link stays up
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    if (frame.type === 'hello') {
      this.attempt = 0;
      this.setState('live');
      // A relay that restarted counts from zero again: what we hold is stale.
      if (this.lastSeq !== null && frame.seq < this.lastSeq) {
        this.lastSeq = frame.seq;
        this.frames.emit(frame);
        this.frames.emit({ type: 'resync_required', seq: frame.seq });
        return;
      }
      if (this.lastSeq === null) this.lastSeq = frame.seq;
      this.frames.emit(frame);
      return;
    }
    if (frame.type === 'resync_required') {
      // The gap is beyond the relay's replay buffer: continue from now on.
      this.lastSeq = typeof frame.seq === 'number' ? frame.seq : this.lastSeq;
      this.frames.emit(frame);
      return;
    }
    // `error_logged` is live-only and unsequenced (it carries the latest seq):
    // it never moves the resume point nor counts as a duplicate.
    if (frame.type !== 'error_logged' && typeof frame.seq === 'number') {
      if (this.lastSeq !== null && frame.seq <= this.lastSeq) return; // replayed twice
      this.lastSeq = frame.seq;
    }
    this.frames.emit(frame);
  }

  private scheduleRetry(generation: number): void {
    if (!this.running || generation !== this.generation) return;
    this.setState('reconnecting');
    const initial = this.options.initialDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 10_000;
    const base = Math.min(max, initial * 2 ** this.attempt);
    const random = this.options.random ?? Math.random;
    // Full jitter in the upper half: many dashboards do not reconnect in lockstep.
    const delay = base / 2 + random() * (base / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect(generation);
    }, delay);
  }

  private setState(state: LinkState): void {
    if (state === this.current) return;
    this.current = state;
    this.states.emit(state);
  }
}
