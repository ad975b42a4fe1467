// The leader's live state changes many times a second under load (every call
// event changes the active-call list); followers need the newest value, not
// every one. Per key, the first change is written at once and later ones at
// most once per interval, always the newest; writes of one key never overlap,
// so they land in the order they were made.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

export interface StateCoalescerOptions<K extends string> {
  clock: Clock;
  logger: Logger;
  /** Shortest time between two writes of one key; default 250 ms. */
  intervalMs?: number;
  write(key: K, value: unknown): Promise<void>;
}

interface Slot {
  pending: { value: unknown } | null;
  lastWriteAt: number;
  timer: { cancel(): void } | null;
  writing: Promise<void> | null;
}

export class StateCoalescer<K extends string> {
  private readonly slots = new Map<K, Slot>();
  private closed = false;
  private readonly intervalMs: number;

  constructor(private readonly opts: StateCoalescerOptions<K>) {
    this.intervalMs = opts.intervalMs ?? 250;
  }

  set(key: K, value: unknown): void {
    if (this.closed) return;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { pending: null, lastWriteAt: -Infinity, timer: null, writing: null };
      this.slots.set(key, slot);
    }
    slot.pending = { value };
    this.schedule(key, slot);
  }

  /** Drops pending values and stops the timers (a write in flight finishes). */
  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) {
      slot.timer?.cancel();
      slot.timer = null;
      slot.pending = null;
    }
  }

  /** Resolves once no write is in flight. */
  async settled(): Promise<void> {
    for (;;) {
      const writing = [...this.slots.values()].map((s) => s.writing).filter((w): w is Promise<void> => w !== null);
      if (writing.length === 0) return;
      await Promise.all(writing);
    }
  }

  private schedule(key: K, slot: Slot): void {
    if (slot.timer || slot.writing || !slot.pending || this.closed) return;
    const wait = slot.lastWriteAt + this.intervalMs - this.opts.clock.now();
    if (wait <= 0) {
      this.writeNow(key, slot);
      return;
    }
    slot.timer = this.opts.clock.setTimeout(() => {
      slot.timer = null;
      this.writeNow(key, slot);
    }, wait);
  }

  private writeNow(key: K, slot: Slot): void {
    const pending = slot.pending;
    if (!pending || this.closed) return;
    slot.pending = null;
    slot.lastWriteAt = this.opts.clock.now();
    slot.writing = this.opts.write(key, pending.value)
      .catch((err: unknown) => this.opts.logger.warn('team state write failed', { key, err }))
      .finally(() => {
        slot.writing = null;
        this.schedule(key, slot);
      });
  }
}
