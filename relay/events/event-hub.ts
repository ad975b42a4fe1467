// The relay's frame bus. Everything a WebSocket client may see passes through
// here: the hub stamps each frame with the next global `seq` and the time,
// keeps the last N in a replay buffer for `?since=`, and fans it out.
//
// `error_logged` frames (admin sockets only) are deliberately NOT sequenced:
// the contract promises integrations that `seq` rises by one per frame, and an
// integration never sees error_logged, so giving those frames their own seq
// would show up as gaps ("lost frames") on every integration socket. They carry
// the seq of the last sequenced frame, are delivered live only, and are not
// replayed: the error feed itself (GET /admin/errors) is their durable record.
import type { CallEventFrame, CallsFrame, ConnectionStateFrame, ErrorLoggedFrame } from '../contract/api-types.js';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { ReplayBuffer, type ReplayResult } from './replay-buffer.js';

/** Frames that take a place in the global sequence and the replay buffer. */
export type ReplayableFrame = CallEventFrame | CallsFrame | ConnectionStateFrame;
/** Everything the hub delivers to subscribers. */
export type HubFrame = ReplayableFrame | ErrorLoggedFrame;

type WithoutStamp<F> = F extends unknown ? Omit<F, 'seq' | 'at'> : never;
/** What a publisher hands in: the hub adds `seq` and `at`. */
export type FrameInput = WithoutStamp<HubFrame>;

export type FrameListener = (frame: HubFrame) => void;

/** The publishing side, for components that only emit frames. */
export interface FramePublisher {
  publish(frame: FrameInput): HubFrame;
}

/** The reading side, for the WebSocket server. */
export interface FrameSource {
  readonly latestSeq: number;
  since(seq: number): ReplayResult<ReplayableFrame>;
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
  private readonly buffer: ReplayBuffer<ReplayableFrame>;
  private readonly listeners = new Set<FrameListener>();
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(opts: EventHubOptions = {}) {
    this.buffer = new ReplayBuffer(opts.capacity ?? DEFAULT_REPLAY_CAPACITY);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
  }

  get latestSeq(): number { return this.buffer.latestSeq; }
  get capacity(): number { return this.buffer.capacity; }
  get oldestSeq(): number { return this.buffer.oldestSeq; }

  publish(input: FrameInput): HubFrame {
    const at = new Date(this.clock.now()).toISOString();
    let frame: HubFrame;
    if (input.type === 'error_logged') {
      frame = { ...input, seq: this.buffer.latestSeq, at };
    } else {
      frame = { ...input, seq: this.buffer.latestSeq + 1, at } as ReplayableFrame;
      this.buffer.append(frame);
    }
    for (const listener of this.listeners) {
      // One misbehaving subscriber must not starve the others of the frame.
      try {
        listener(frame);
      } catch (e) {
        this.logger.error('frame listener threw', { err: e, type: frame.type, seq: frame.seq });
      }
    }
    return frame;
  }

  since(seq: number): ReplayResult<ReplayableFrame> {
    return this.buffer.since(seq);
  }

  subscribe(listener: FrameListener): () => void {
    // Wrap so the same function subscribed twice gets two independent handles.
    const entry: FrameListener = (f) => listener(f);
    this.listeners.add(entry);
    return () => void this.listeners.delete(entry);
  }

  get subscriberCount(): number { return this.listeners.size; }

  /** Drops every subscriber (shutdown). The buffer stays readable. */
  close(): void {
    this.listeners.clear();
  }
}
