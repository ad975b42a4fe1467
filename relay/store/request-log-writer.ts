// Request logging off the hot path: `record()` only appends to memory; a
// timer writes the batch, the per-key usage (request_count, last_used_at)
// and the day counters in ONE transaction at least every flush interval,
// and `stop()` writes what is left.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { localDay } from '../core/local-day.js';
import { describeError } from '../core/relay-error.js';
import type { ApiRequestEntry } from './api-request-repository.js';
import { ApiRequestRepository } from './api-request-repository.js';
import { DailyCountRepository } from './daily-count-repository.js';
import type { StoreSchema } from './store-schema.js';
import { isoAt } from './store-schema.js';

export interface RequestRecord {
  keyId: string | null;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  /** Time of the request in ms; defaults to the clock's now. */
  at?: number;
}

export interface RequestLogWriterOptions {
  clock: Clock;
  logger: Logger;
  flushIntervalMs?: number;
  /** Past this many unflushed requests (store unreachable) the oldest are dropped. */
  maxBuffered?: number;
}

export class RequestLogWriter {
  private requests: ApiRequestEntry[] = [];
  /** "day\0name" -> pending count. */
  private counts = new Map<string, number>();
  private dropped = 0;
  private timer: { cancel(): void } | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private running = false;
  private readonly intervalMs: number;
  private readonly maxBuffered: number;

  constructor(private readonly db: Kysely<StoreSchema>, private readonly opts: RequestLogWriterOptions) {
    this.intervalMs = opts.flushIntervalMs ?? 1000;
    this.maxBuffered = opts.maxBuffered ?? 100_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops the timer and writes everything still buffered. */
  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
    await this.flush();
  }

  record(r: RequestRecord): void {
    if (this.requests.length >= this.maxBuffered) {
      this.requests.shift();
      this.dropped++;
    }
    const at = r.at ?? this.opts.clock.now();
    this.requests.push({ keyId: r.keyId, method: r.method, path: r.path, status: r.status, durationMs: r.durationMs, at: isoAt(at) });
  }

  /** Adds to today's named counter (e.g. 'call_events'), written with the next flush. */
  count(name: string, n = 1, at?: number): void {
    const key = `${localDay(at ?? this.opts.clock.now())}\0${name}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  /** Pending count not yet written, so "today" figures can include it. */
  pendingCount(name: string, day: string): number {
    return this.counts.get(`${day}\0${name}`) ?? 0;
  }

  get buffered(): number {
    return this.requests.length;
  }

  /** Writes the current buffer; concurrent calls queue behind each other. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBatch());
    return this.flushing;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.opts.clock.setTimeout(() => {
      void this.flush().finally(() => this.schedule());
    }, this.intervalMs);
  }

  private async writeBatch(): Promise<void> {
    if (this.requests.length === 0 && this.counts.size === 0) return;
    const requests = this.requests;
    const counts = this.counts;
    this.requests = [];
    this.counts = new Map();
    const usage = new Map<string, { n: number; lastUsedAt: string }>();
    for (const r of requests) {
      if (r.keyId == null) continue;
      const u = usage.get(r.keyId);
      if (!u) usage.set(r.keyId, { n: 1, lastUsedAt: r.at });
      else {
        u.n++;
        if (r.at > u.lastUsedAt) u.lastUsedAt = r.at;
      }
    }
    try {
      await this.db.transaction().execute(async (trx) => {
        await new ApiRequestRepository(trx).insertMany(requests);
        for (const [keyId, u] of usage) {
          await trx.updateTable('api_keys')
            .set((eb) => ({
              request_count: sql<number>`request_count + ${u.n}`,
              last_used_at: eb.case().when('last_used_at', 'is', null).then(u.lastUsedAt)
                .when('last_used_at', '<', u.lastUsedAt).then(u.lastUsedAt).else(eb.ref('last_used_at')).end(),
            }))
            .where('id', '=', keyId).execute();
        }
        const daily = new DailyCountRepository(trx);
        for (const [key, n] of counts) {
          const [day, name] = key.split('\0') as [string, string];
          await daily.add(name, day, n);
        }
      });
      if (this.dropped > 0) {
        this.opts.logger.warn('request log dropped entries while the store was unreachable', { dropped: this.dropped });
        this.dropped = 0;
      }
    } catch (e) {
      // Put the batch back (bounded) so a short store outage loses nothing.
      this.requests = requests.concat(this.requests);
      const excess = this.requests.length - this.maxBuffered;
      if (excess > 0) {
        this.requests.splice(0, excess);
        this.dropped += excess;
      }
      for (const [k, n] of counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
      this.opts.logger.error('request log flush failed', { error: describeError(e), pending: this.requests.length });
    }
  }
}
