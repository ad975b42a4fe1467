// A follower's mirror of the team log: one dedicated connection LISTENs for
// the leader's frames and state changes. A frame that arrives in order goes
// straight to the local hub with its team seq; anything else (a reference to
// a frame too big for NOTIFY, a gap, the first notice after a reconnect) is
// read from the table in order. The connection comes back with backoff after
// any loss, and LISTENs before it reads, so nothing committed in between is
// missed. A heartbeat compares the log's newest seq with the hub's: it
// catches up what no notice announced, and replaces a connection that stopped
// answering (a half-open TCP connection raises no error for many minutes).
import net from 'node:net';
import pg from 'pg';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { EventHub } from '../events/event-hub.js';
import { backoffDelayMs, type BackoffPolicy } from '../pbx/reconnect-backoff.js';
import { catchUpHub } from './team-frame-catch-up.js';
import { FRAMES_CHANNEL, logBounds, parseNotice, type Queryable } from './team-frame-log.js';
import { MIRRORED_KEYS, STATE_CHANNEL, isMirroredKey, readState } from './team-state-log.js';
import type { MirroredKey } from './team-types.js';

export const FOLLOWER_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 5_000 };

export interface TeamFrameFollowerOptions {
  url: string;
  hub: EventHub;
  clock: Clock;
  logger: Logger;
  /** A new value of one part of the live state. */
  onState(key: MirroredKey, value: unknown): void;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Heartbeat period, and how long its query may take; default 5 s. */
  heartbeatMs?: number;
}

/** One connection and the reads queued on it, in order. */
interface Link {
  readonly client: pg.Client;
  readonly db: Queryable;
  chain: Promise<void>;
  /** Tasks queued or running on `chain`. */
  pending: number;
  /** When the query now on the wire was sent; null when none is. */
  querySince: number | null;
}

export class TeamFrameFollower {
  private link: Link | null = null;
  private stopped = false;
  private attempt = 0;
  private retry: { cancel(): void } | null = null;
  private beat: { cancel(): void } | null = null;
  private connecting: Promise<void> | null = null;
  /**
   * Cuts the connection still being made: stop() must not wait on a store
   * that accepts and never answers (pg's end() waits for it, politely).
   */
  private abortDial: (() => void) | null = null;
  private readonly heartbeatMs: number;

  constructor(private readonly opts: TeamFrameFollowerOptions) {
    this.heartbeatMs = opts.heartbeatMs ?? 5_000;
  }

  /** Connects and catches up; a failure leaves it retrying in the background. */
  async start(): Promise<void> {
    this.scheduleHeartbeat();
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.retry = null;
    this.beat?.cancel();
    this.beat = null;
    this.abortDial?.();
    // Reads in progress see `stopped` and end early.
    await this.connecting?.catch(() => {});
    const link = this.link;
    this.link = null;
    if (!link) return;
    // A read stuck on a dead connection must not hold the stop up for long.
    let timer: { cancel(): void } | undefined;
    await Promise.race([link.chain, new Promise<void>((resolve) => { timer = this.opts.clock.setTimeout(resolve, this.heartbeatMs); })]);
    timer?.cancel();
    await link.client.end().catch(() => {});
  }

  /** Whether the LISTEN connection is up. */
  get connected(): boolean { return this.link !== null; }

  private connect(): Promise<void> {
    this.connecting = this.connectOnce().then(
      () => { this.attempt = 0; },
      (err: unknown) => {
        if (this.stopped) return;
        this.opts.logger.warn('team follower could not connect', { error: describeError(err), attempt: this.attempt });
        this.scheduleReconnect();
      },
    ).finally(() => { this.connecting = null; });
    return this.connecting;
  }

  private async connectOnce(): Promise<void> {
    // Bounded: the election waits for a follower's start, so a store that accepts and never answers must not hold it.
    let socket: net.Socket | null = null;
    const client = new pg.Client({
      connectionString: this.opts.url, application_name: '3cx-relay-team-follower', keepAlive: true, keepAliveInitialDelayMillis: 10_000, connectionTimeoutMillis: 5_000,
      // pg's own default stream, kept at hand so stop() can cut a connection still being made.
      stream: () => (socket = new net.Socket()),
    });
    const abort = () => void socket?.destroy();
    const link: Link = { client, db: timedQueryable(client, (since) => { link.querySince = since; }, this.opts.clock), chain: Promise.resolve(), pending: 0, querySince: null };
    client.on('error', (err) => this.lost(link, err));
    client.on('end', () => this.lost(link, null));
    client.on('notification', (msg) => this.onNotification(link, msg.channel, msg.payload));
    this.abortDial = abort;
    try {
      await client.connect();
      if (this.stopped) throw new Error('stopped');
      await client.query(`LISTEN ${FRAMES_CHANNEL}`);
      await client.query(`LISTEN ${STATE_CHANNEL}`);
      if (this.stopped) throw new Error('stopped');
    } catch (e) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw e;
    } finally {
      if (this.abortDial === abort) this.abortDial = null;
    }
    this.link = link;
    // Read after LISTEN: a frame committed from here on is either read now or notified.
    await this.enqueue(link, async () => {
      const r = await catchUpHub(link.db, this.opts.hub, this.opts.logger, () => this.isCurrent(link));
      this.opts.logger.info('team follower caught up', { ...r });
    });
    await this.enqueue(link, () => this.readState(link, MIRRORED_KEYS));
  }

  private lost(link: Link, err: unknown): void {
    if (this.link !== link) return;
    this.link = null;
    if (this.stopped) return;
    this.opts.logger.warn('team follower connection lost', { error: err ? describeError(err) : 'closed' });
    link.client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry) return;
    const delay = backoffDelayMs(this.attempt++, this.opts.random, this.opts.backoff ?? FOLLOWER_BACKOFF);
    this.retry = this.opts.clock.setTimeout(() => {
      this.retry = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }

  private scheduleHeartbeat(): void {
    if (this.stopped) return;
    this.beat = this.opts.clock.setTimeout(() => {
      this.beat = null;
      void this.heartbeat().finally(() => this.scheduleHeartbeat());
    }, this.heartbeatMs);
  }

  private async heartbeat(): Promise<void> {
    const link = this.link;
    if (!link || !this.isCurrent(link)) return;
    // A read under way shows the connection is in use, unless it has hung as
    // long as a heartbeat may (a half-open path): the heartbeat would skip it forever.
    if (link.querySince !== null && this.opts.clock.now() - link.querySince > this.heartbeatMs) {
      this.lost(link, new Error(`a team log read has had no answer for ${this.heartbeatMs} ms`));
      return;
    }
    if (link.pending > 0) return;
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = this.opts.clock.setTimeout(() => resolve('timeout'), this.heartbeatMs); });
    try {
      const bounds = await Promise.race([logBounds(link.db), timeout]);
      if (bounds === 'timeout') {
        this.lost(link, new Error('team follower heartbeat timed out'));
        return;
      }
      if (bounds && bounds.newest > this.opts.hub.latestSeq && link.pending === 0) {
        this.opts.logger.debug('team follower behind the log without a notice: catching up', { latestSeq: this.opts.hub.latestSeq, logNewest: bounds.newest });
        void this.enqueue(link, async () => void (await catchUpHub(link.db, this.opts.hub, this.opts.logger, () => this.isCurrent(link))));
      }
    } catch (err) {
      this.lost(link, err);
    } finally {
      timer?.cancel();
    }
  }

  private isCurrent(link: Link): boolean {
    return !this.stopped && this.link === link;
  }

  private onNotification(link: Link, channel: string, payload: string | undefined): void {
    if (!this.isCurrent(link)) return;
    if (channel === STATE_CHANNEL) {
      if (isMirroredKey(payload)) void this.enqueue(link, () => this.readState(link, [payload]));
      return;
    }
    if (link.pending > 0) {
      // A read is under way: this notice waits its turn so order holds.
      void this.enqueue(link, async () => this.onFrameNotice(link, payload));
      return;
    }
    this.onFrameNotice(link, payload);
  }

  private onFrameNotice(link: Link, payload: string | undefined): void {
    const hub = this.opts.hub;
    const notice = parseNotice(payload);
    if (notice.kind === 'frame') {
      if (notice.frame.type === 'error_logged') {
        hub.deliver(notice.frame, Buffer.from(notice.text));
        return;
      }
      if (notice.frame.seq <= hub.latestSeq) return;
      if (notice.frame.seq === hub.latestSeq + 1) {
        hub.deliver(notice.frame, Buffer.from(notice.text));
        return;
      }
    } else if (notice.kind === 'ref' && notice.seq <= hub.latestSeq) {
      return;
    }
    // A reference, a gap or a payload we cannot read: the table has it, in order.
    void this.enqueue(link, async () => void (await catchUpHub(link.db, hub, this.opts.logger, () => this.isCurrent(link))));
  }

  private async readState(link: Link, keys: readonly MirroredKey[]): Promise<void> {
    const values = await readState(link.db, keys);
    if (!this.isCurrent(link)) return;
    for (const [key, value] of values) this.opts.onState(key, value);
  }

  private enqueue(link: Link, task: () => Promise<void>): Promise<void> {
    link.pending++;
    const run = link.chain.then(async () => {
      if (this.isCurrent(link)) await task();
    }).catch((err: unknown) => {
      // The connection's loss is handled by lost(); anything else is logged.
      if (this.isCurrent(link)) this.opts.logger.warn('team follower read failed', { error: describeError(err) });
    }).finally(() => { link.pending--; });
    link.chain = run;
    return run;
  }
}

/** The link's reads, each timed from when it is sent (for the heartbeat's stuck-read check). */
function timedQueryable(client: pg.Client, mark: (since: number | null) => void, clock: Clock): Queryable {
  return {
    query: async (text, values) => {
      mark(clock.now());
      try {
        return (await client.query(text, values)) as never;
      } finally {
        mark(null);
      }
    },
  };
}
