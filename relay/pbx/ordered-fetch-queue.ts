// Reads that may run side by side but whose results must take effect in the
// order they were asked for. Call Control announces a change with a frame and
// the relay reads the participant over REST; waiting for each read before
// looking at the next frame makes the backlog grow with the round-trip time,
// while applying reads as they complete would let an old answer overwrite a
// newer one (or resurrect a participant a later frame removed). Here up to
// `concurrency` reads are in flight, and each result is applied only once
// every earlier entry has been applied.

export interface OrderedFetchQueueOptions {
  /** Reads in flight at once; the rest wait their turn (default 16). */
  concurrency?: number;
  /** Called when an apply step throws; the queue carries on with the next entry. */
  onApplyError?: (error: unknown) => void;
}

interface Entry<T> {
  fetch: (() => Promise<T>) | null;
  apply: (result: T) => void;
  done: boolean;
  result: T | undefined;
}

export class OrderedFetchQueue {
  readonly #concurrency: number;
  readonly #onApplyError: (error: unknown) => void;
  // Entries in the order they were pushed; the head is the next to apply.
  #entries: Entry<unknown>[] = [];
  // Index in #entries of the first entry whose fetch has not started.
  #nextToStart = 0;
  #inFlight = 0;
  #draining = false;
  // Bumped by clear(): a read of an older epoch that completes is dropped.
  #epoch = 0;
  readonly #running = new Set<Promise<void>>();

  constructor(opts: OrderedFetchQueueOptions = {}) {
    this.#concurrency = Math.max(1, Math.floor(opts.concurrency ?? 16));
    this.#onApplyError = opts.onApplyError ?? (() => {});
  }

  /** Entries pushed and not applied yet. */
  get pending(): number {
    return this.#entries.length;
  }

  /** Reads started and not completed (including ones a clear() orphaned). */
  get inFlight(): number {
    return this.#running.size;
  }

  /**
   * Queue a read and what to do with its result. `fetch` must not reject
   * (turn failures into a result value). With `fetch` null, `apply` runs with
   * `undefined` as soon as every earlier entry has been applied.
   */
  push<T>(fetch: (() => Promise<T>) | null, apply: (result: T) => void): void {
    this.#entries.push({ fetch, apply: apply as (r: unknown) => void, done: fetch === null, result: undefined });
    this.#startMore();
    this.#drain();
  }

  /** Forget every queued entry; results of reads already in flight are discarded. */
  clear(): void {
    this.#epoch += 1;
    this.#entries = [];
    this.#nextToStart = 0;
    this.#inFlight = 0;
  }

  /** Resolves once every read started so far has completed (for an orderly stop). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #startMore(): void {
    while (this.#inFlight < this.#concurrency && this.#nextToStart < this.#entries.length) {
      const entry = this.#entries[this.#nextToStart]!;
      this.#nextToStart += 1;
      if (entry.fetch === null) continue;
      this.#inFlight += 1;
      const epoch = this.#epoch;
      const run = entry.fetch().then(
        (result) => this.#completed(epoch, entry, result),
        // fetch promised not to reject; if it does, the entry still completes so the queue moves on.
        (error: unknown) => {
          this.#onApplyError(error);
          this.#completed(epoch, entry, undefined, true);
        },
      );
      this.#running.add(run);
      void run.finally(() => this.#running.delete(run));
    }
  }

  #completed(epoch: number, entry: Entry<unknown>, result: unknown, failed = false): void {
    if (epoch !== this.#epoch) return;
    this.#inFlight -= 1;
    entry.done = true;
    entry.result = result;
    if (failed) entry.apply = () => {};
    this.#startMore();
    this.#drain();
  }

  #drain(): void {
    // An apply step that pushes would re-enter here; the outer loop picks its entry up.
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#entries.length > 0 && this.#entries[0]!.done) {
        const entry = this.#entries.shift()!;
        this.#nextToStart = Math.max(0, this.#nextToStart - 1);
        try {
          entry.apply(entry.result);
        } catch (e) {
          this.#onApplyError(e);
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
