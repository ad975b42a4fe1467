// The replay window behind `?since=`: the last N sequenced frames. Frames carry
// consecutive sequence numbers, so slot = seq % capacity gives an O(1) append
// and an O(k) read of the k frames after a given seq, with no array shifting.

export interface Sequenced { seq: number }

export type ReplayResult<T> =
  | { kind: 'frames'; frames: T[] }
  /** `seq` is older than the oldest frame kept, or newer than any frame issued (a previous run's seq). */
  | { kind: 'resync_required' };

export class ReplayBuffer<T extends Sequenced> {
  readonly capacity: number;
  private readonly slots: (T | undefined)[];
  private latest = 0;
  /** The first seq this buffer was given since it (re)started: nothing older was ever kept. */
  private first = 1;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('replay buffer capacity must be a positive integer');
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** Sequence number of the newest frame kept (0 before the first). */
  get latestSeq(): number { return this.latest; }

  /** Sequence number of the oldest frame still kept (latestSeq + 1 when empty). */
  get oldestSeq(): number { return Math.max(this.first, this.latest - this.capacity + 1); }

  get size(): number { return this.latest - this.oldestSeq + 1; }

  append(frame: T): void {
    if (frame.seq !== this.latest + 1) throw new RangeError(`frames must be appended in sequence: expected ${this.latest + 1}, got ${frame.seq}`);
    this.slots[frame.seq % this.capacity] = frame;
    this.latest = frame.seq;
  }

  /**
   * Forgets every frame kept and continues after `seq` (the next append is
   * seq + 1). A team follower that joins late, or falls further behind than
   * the team log keeps, starts over here: a client asking for anything older
   * gets resync_required instead of a silent gap.
   */
  restartAt(seq: number): void {
    if (!Number.isInteger(seq) || seq < 0) throw new RangeError('replay buffer restart seq must be a non-negative integer');
    this.slots.fill(undefined);
    this.latest = seq;
    this.first = seq + 1;
  }

  /** Every kept frame with seq > `after`, oldest first. */
  since(after: number): ReplayResult<T> {
    if (!Number.isInteger(after) || after < 0 || after > this.latest) return { kind: 'resync_required' };
    if (after + 1 < this.oldestSeq) return { kind: 'resync_required' };
    const frames: T[] = [];
    for (let seq = after + 1; seq <= this.latest; seq++) frames.push(this.slots[seq % this.capacity] as T);
    return { kind: 'frames', frames };
  }
}
