// The leader's publisher: stamps each frame with the next team `seq` at once
// (publish() stays synchronous for the upstream side), queues it, and writes
// the queue to the team log in batches, one statement each, through the fence.
// Only after a batch commits are its frames handed to the local hub, in
// order. Batching grows with the load (while one batch is in flight the next
// one gathers), so a burst costs a few round trips, not one per frame.
//
// A failed write means the fence is gone (or cannot be trusted): the batch
// and everything queued behind it are dropped, never delivered anywhere (a
// frame the log does not hold must not reach a client, or a follower's
// clients and this relay's would disagree about that seq), and the publisher
// refuses every later frame; the election steps down.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { FrameInput, FramePublisher, HubFrame } from '../events/event-hub.js';
import { NOTIFY_PAYLOAD_LIMIT, noticeFor, type StampedFrame } from './team-frame-log.js';

export interface FrameBatch {
  /** Sequenced frames, in seq order, for the log (and their notices). */
  frames: StampedFrame[];
  /** NOTIFY payloads in order: the frames' and any error_logged frames'. */
  notices: string[];
}

export interface TeamFrameWriterOptions {
  /** The first seq this writer assigns. */
  nextSeq: number;
  clock: Clock;
  logger: Logger;
  /** Writes one batch in one statement through the fence. */
  write(batch: FrameBatch): Promise<void>;
  /** Hands a committed frame (or an unsequenced one) to the local hub. */
  deliver(frame: HubFrame, bytes: Buffer): void;
  /** The seq of the newest frame delivered locally: what an error_logged frame carries. */
  deliveredSeq(): number;
  /** Called once, when a write fails and the writer stops. */
  onFailed(err: unknown): void;
  /** Most frames per statement; default 500. */
  maxBatch?: number;
  /** Wait before writing the first frame of a batch, letting a burst join it; default 0. */
  flushDelayMs?: number;
  /**
   * Most frames waiting to be written, and longest a frame may wait; beyond
   * either the log cannot keep up (a slow store: each write answers, too
   * slowly for the load) and the writer fails as on a lost fence, so the
   * election steps down instead of the queue growing without bound.
   * Defaults 10,000 frames (the replay buffer) and 5 s.
   */
  maxQueued?: number;
  maxQueueAgeMs?: number;
}

type State = 'open' | 'closing' | 'failed' | 'closed';

/** One queued item, in publish order: a frame for the log, or an error_logged notice. */
type Entry = { frame: StampedFrame; notice: string; queuedAt: number } | { frame: null; notice: string };

export class TeamFrameWriter implements FramePublisher {
  private next: number;
  private queue: Entry[] = [];
  private queuedFrames = 0;
  private scheduled: { cancel(): void } | null = null;
  private inFlight: Promise<void> | null = null;
  private state: State = 'open';
  private refusedWarned = false;
  private readonly maxBatch: number;

  constructor(private readonly opts: TeamFrameWriterOptions) {
    this.next = opts.nextSeq;
    this.maxBatch = opts.maxBatch ?? 500;
  }

  /** The seq the next frame will get. */
  get nextSeq(): number { return this.next; }
  get failed(): boolean { return this.state === 'failed'; }
  /** Frames stamped but not yet written (not counting a batch in flight). */
  get queued(): number { return this.queuedFrames; }

  publish(input: FrameInput): HubFrame {
    const at = new Date(this.opts.clock.now()).toISOString();
    if (input.type === 'error_logged') {
      // Unsequenced (see event-hub.ts): local admins get it at once; followers'
      // admins get it inline over NOTIFY with the next batch, never from the log.
      const frame = { ...input, seq: this.opts.deliveredSeq(), at } as HubFrame;
      const text = JSON.stringify(frame);
      const bytes = Buffer.from(text);
      this.opts.deliver(frame, bytes);
      if (this.state === 'open' && bytes.length <= NOTIFY_PAYLOAD_LIMIT) {
        this.queue.push({ frame: null, notice: text });
        this.schedule();
      }
      return frame;
    }
    const frame = { ...input, seq: this.next, at } as HubFrame;
    if (this.state !== 'open') {
      // Refused: it takes no seq and goes nowhere. Not thrown, since the
      // callers are upstream event handlers that the election is stopping.
      if (!this.refusedWarned) this.opts.logger.warn('team frame refused: this relay no longer writes the team log', { type: frame.type });
      this.refusedWarned = true;
      return frame;
    }
    const now = this.opts.clock.now();
    const oldest = this.inFlight ? this.queue.find((e) => e.frame !== null) : undefined;
    // Only while a write is under way: a burst queued in one tick waits for the flush timer, not for the store.
    const slow = this.inFlight !== null && (this.queuedFrames >= (this.opts.maxQueued ?? 10_000)
      || (oldest !== undefined && 'queuedAt' in oldest && now - oldest.queuedAt > (this.opts.maxQueueAgeMs ?? 5_000)));
    if (slow) {
      this.fail(new Error(`the team log does not keep up: ${this.queuedFrames} frames waiting to be written`), 0);
      return frame;
    }
    this.next++;
    const text = JSON.stringify(frame);
    const stamped: StampedFrame = { frame, text, bytes: Buffer.from(text) };
    this.queue.push({ frame: stamped, notice: noticeFor(stamped), queuedAt: now });
    this.queuedFrames++;
    this.schedule();
    return frame;
  }

  /**
   * Stops taking frames and writes what is queued (a graceful hand-over
   * loses nothing); resolves once nothing is in flight. If the fence fails
   * meanwhile the rest is dropped as usual.
   */
  async close(): Promise<void> {
    if (this.state === 'open') this.state = 'closing';
    this.scheduled?.cancel();
    this.scheduled = null;
    while (this.state === 'closing' && (this.inFlight || this.queue.length > 0)) {
      if (!this.inFlight) this.flush();
      await this.inFlight;
    }
    if (this.state === 'closing') this.state = 'closed';
  }

  /**
   * Gives up at once: drops the queue, refuses new frames, and does not
   * deliver a batch still in flight even if it commits (the mirror delivers
   * it then, from the log). For a hand-over that cannot wait on the fence.
   */
  abandon(): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.state = 'closed';
    this.queue = [];
    this.queuedFrames = 0;
    this.scheduled?.cancel();
    this.scheduled = null;
  }

  /** Resolves once everything queued so far is written (or dropped). */
  async drained(): Promise<void> {
    while (this.inFlight || this.scheduled) {
      if (this.scheduled) {
        this.scheduled.cancel();
        this.scheduled = null;
        this.flush();
      }
      await this.inFlight;
    }
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = this.opts.clock.setTimeout(() => {
      this.scheduled = null;
      this.flush();
    }, this.opts.flushDelayMs ?? 0);
  }

  private flush(): void {
    if (this.inFlight || (this.state !== 'open' && this.state !== 'closing') || this.queue.length === 0) return;
    // Up to maxBatch frames, with the error_logged notices published among them.
    const frames: StampedFrame[] = [];
    const notices: string[] = [];
    let taken = 0;
    for (; taken < this.queue.length; taken++) {
      const e = this.queue[taken]!;
      if (e.frame) {
        if (frames.length === this.maxBatch) break;
        frames.push(e.frame);
      }
      notices.push(e.notice);
    }
    this.queue = this.queue.slice(taken);
    this.queuedFrames -= frames.length;
    this.inFlight = this.opts.write({ frames, notices }).then(
      () => {
        this.inFlight = null;
        if (this.state === 'closed') return;
        for (const f of frames) {
          try {
            this.opts.deliver(f.frame, f.bytes);
          } catch (e) {
            this.opts.logger.error('team frame could not be delivered locally', { err: e, seq: f.frame.seq });
          }
        }
        // Group commit: what gathered during the write goes at once.
        if (this.state === 'open') this.flush();
      },
      (err: unknown) => {
        this.inFlight = null;
        if (this.state === 'closed') return;
        this.fail(err, frames.length);
      },
    );
  }

  private fail(err: unknown, lost: number): void {
    if (this.state === 'failed') return;
    const dropped = lost + this.queuedFrames;
    this.state = 'failed';
    this.queue = [];
    this.queuedFrames = 0;
    this.scheduled?.cancel();
    this.scheduled = null;
    this.opts.logger.error('team log write failed: frames dropped, no longer writing', { err, dropped });
    this.opts.onFailed(err);
  }
}
