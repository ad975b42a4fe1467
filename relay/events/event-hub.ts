// The relay's frame bus. Everything a WebSocket client may see passes through
// here: the hub stamps each frame with the next global `seq` and the time,
// keeps the last N in a replay buffer for `?since=`, and fans it out.
//
// Each frame is serialised here, once, for every client: the replay buffer
// keeps only that wire form (a small object and an off-heap Buffer), not the
// parsed frame. 10,000 parsed frames, each a handful of objects living ~10 s,
// were what the old-generation GC kept tracing and compacting under load:
// 10-25 ms pauses about once a second at 1,000 events/s (benchmark 2).
//
// `error_logged` frames (admin sockets only) are deliberately NOT sequenced:
// the contract promises integrations that `seq` rises by one per frame, and an
// integration never sees error_logged, so giving those frames their own seq
// would show up as gaps ("lost frames") on every integration socket. They carry
// the seq of the last sequenced frame, are delivered live only, and are not
// replayed: the error feed itself (GET /admin/errors) is their durable record.
//
// In team mode the team stream takes over the stamping (divert()) and hands
// committed frames back with deliver(): the seq is then the team's.
import type { AgentStateFrame, AlertFrame, CallEventFrame, CallsFrame, ConnectionStateFrame, ErrorLoggedFrame, QueueStatsFrame } from '../contract/api-types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { ReplayBuffer, type ReplayResult } from './replay-buffer.js';

/** Frames that take a place in the global sequence and the replay buffer. */
export type ReplayableFrame = CallEventFrame | CallsFrame | ConnectionStateFrame | QueueStatsFrame | AgentStateFrame | AlertFrame;
/** Everything the hub delivers to subscribers. */
export type HubFrame = ReplayableFrame | ErrorLoggedFrame;

type WithoutStamp<F> = F extends unknown ? Omit<F, 'seq' | 'at'> : never;
/** What a publisher hands in: the hub adds `seq` and `at`. */
export type FrameInput = WithoutStamp<HubFrame>;

/** A frame as it goes on the wire, shared by every socket and the replay buffer. */
export interface WireFrame {
  readonly seq: number;
  readonly type: HubFrame['type'];
  /** The frame's JSON, UTF-8. */
  readonly bytes: Buffer;
}

/** `wire` is the same frame serialised, for listeners that send it on. */
export type FrameListener = (frame: HubFrame, wire: WireFrame) => void;

/** The publishing side, for components that only emit frames. */
export interface FramePublisher {
  publish(frame: FrameInput): HubFrame;
}

/** The reading side, for the WebSocket server. */
export interface FrameSource {
  readonly latestSeq: number;
  since(seq: number): ReplayResult<WireFrame>;
  subscribe(listener: FrameListener): () => void;
}

export const DEFAULT_REPLAY_CAPACITY = 10_000;

export interface EventHubOptions {
  /** Frames kept for `?since=` (the contract asks for at least 10,000). */
  capacity?: number;
  clock?: Clock;
  logger?: Logger;
}

export class EventHub implements FramePublisher, FrameSource {
  private readonly buffer: ReplayBuffer<WireFrame>;
  private readonly listeners = new Set<FrameListener>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private diversion: FramePublisher | null = null;

  constructor(opts: EventHubOptions = {}) {
    this.buffer = new ReplayBuffer(opts.capacity ?? DEFAULT_REPLAY_CAPACITY);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
  }

  get latestSeq(): number { return this.buffer.latestSeq; }
  get capacity(): number { return this.buffer.capacity; }
  get oldestSeq(): number { return this.buffer.oldestSeq; }

  publish(input: FrameInput): HubFrame {
    if (this.diversion) return this.diversion.publish(input);
    const at = new Date(this.clock.now()).toISOString();
    const frame = (input.type === 'error_logged'
      ? { ...input, seq: this.buffer.latestSeq, at }
      : { ...input, seq: this.buffer.latestSeq + 1, at }) as HubFrame;
    const wire: WireFrame = { seq: frame.seq, type: frame.type, bytes: Buffer.from(JSON.stringify(frame)) };
    this.fanOut(frame, wire);
    return frame;
  }

  /**
   * Delivers a frame stamped elsewhere (team mode: the leader's frame after
   * its commit to the team log, or a follower's mirror of it), keeping the
   * sequence: a sequenced frame must carry latestSeq + 1. `bytes`, when
   * given, is the frame's JSON as it was logged, sent on unchanged.
   */
  deliver(frame: HubFrame, bytes?: Buffer): WireFrame {
    if (frame.type !== 'error_logged' && frame.seq !== this.buffer.latestSeq + 1) {
      throw new RangeError(`frames must be delivered in sequence: expected ${this.buffer.latestSeq + 1}, got ${frame.seq}`);
    }
    const wire: WireFrame = { seq: frame.seq, type: frame.type, bytes: bytes ?? Buffer.from(JSON.stringify(frame)) };
    this.fanOut(frame, wire);
    return wire;
  }

  /** Forgets the replay buffer and continues after `seq` (see ReplayBuffer.restartAt). */
  restartAt(seq: number): void {
    this.buffer.restartAt(seq);
  }

  /**
   * While set, publish() hands every frame to `publisher` instead of
   * stamping it here: in team mode the team stream sequences frames and
   * delivers them back through deliver(). null restores local stamping.
   */
  divert(publisher: FramePublisher | null): void {
    this.diversion = publisher;
  }

  private fanOut(frame: HubFrame, wire: WireFrame): void {
    if (frame.type !== 'error_logged') this.buffer.append(wire);
    for (const listener of this.listeners) {
      // One misbehaving subscriber must not starve the others of the frame.
      try {
        listener(frame, wire);
      } catch (e) {
        this.logger.error('frame listener threw', { err: e, type: frame.type, seq: frame.seq });
      }
    }
  }

  since(seq: number): ReplayResult<WireFrame> {
    return this.buffer.since(seq);
  }

  subscribe(listener: FrameListener): () => void {
    // Wrap so the same function subscribed twice gets two independent handles.
    const entry: FrameListener = (f, w) => listener(f, w);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  get subscriberCount(): number { return this.listeners.size; }

  /** Drops every subscriber (shutdown). The buffer stays readable. */
  close(): void {
    this.listeners.clear();
  }
}
