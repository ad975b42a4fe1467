// A follower's mirror of the team log: one dedicated connection LISTENs for
// the leader's frames and state changes. A frame that arrives in order goes
// straight to the local hub with its team seq; anything else (a reference to
// a frame too big for NOTIFY, a gap, the first notice after a reconnect) is
// read from the table in order. The connection comes back with backoff after
// any loss, and LISTENs before it reads, so nothing committed in between is
// missed.
import pg from 'pg';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { EventHub } from '../events/event-hub.js';
import { backoffDelayMs, type BackoffPolicy } from '../pbx/reconnect-backoff.js';
import { catchUpHub } from './team-frame-catch-up.js';
import { FRAMES_CHANNEL, parseNotice, type Queryable } from './team-frame-log.js';
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
}

export class TeamFrameFollower {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retry: { cancel(): void } | null = null;
  /** Reads from the table run one at a time, in the order asked. */
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private connecting: Promise<void> | null = null;

  constructor(private readonly opts: TeamFrameFollowerOptions) {}

  /** Connects and catches up; a failure leaves it retrying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry?.cancel();
    this.retry = null;
    // Reads in progress see `stopped` and end early.
    await this.connecting?.catch(() => {});
    await this.chain;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }

  /** Whether the LISTEN connection is up. */
  get connected(): boolean { return this.client !== null; }

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
    const client = new pg.Client({ connectionString: this.opts.url, application_name: '3cx-relay-team-follower', keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (msg) => this.onNotification(client, msg.channel, msg.payload));
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
    }
    this.client = client;
    // Read after LISTEN: a frame committed from here on is either read now or notified.
    await this.enqueue(client, async () => {
      const r = await catchUpHub(asQueryable(client), this.opts.hub, this.opts.logger, () => this.isCurrent(client));
      this.opts.logger.info('team follower caught up', { ...r });
    });
    await this.enqueue(client, () => this.readState(client, MIRRORED_KEYS));
  }

  private lost(client: pg.Client, err: unknown): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.stopped) return;
    this.opts.logger.warn('team follower connection lost', { error: err ? describeError(err) : 'closed' });
    client.end().catch(() => {});
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

  private isCurrent(client: pg.Client): boolean {
    return !this.stopped && this.client === client;
  }

  private onNotification(client: pg.Client, channel: string, payload: string | undefined): void {
    if (!this.isCurrent(client)) return;
    if (channel === STATE_CHANNEL) {
      if (isMirroredKey(payload)) void this.enqueue(client, () => this.readState(client, [payload]));
      return;
    }
    if (this.pending > 0) {
      // A read is under way: this notice waits its turn so order holds.
      void this.enqueue(client, async () => this.onFrameNotice(client, payload));
      return;
    }
    this.onFrameNotice(client, payload);
  }

  private onFrameNotice(client: pg.Client, payload: string | undefined): void {
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
    void this.enqueue(client, async () => void (await catchUpHub(asQueryable(client), hub, this.opts.logger, () => this.isCurrent(client))));
  }

  private async readState(client: pg.Client, keys: readonly MirroredKey[]): Promise<void> {
    const values = await readState(asQueryable(client), keys);
    if (!this.isCurrent(client)) return;
    for (const [key, value] of values) this.opts.onState(key, value);
  }

  private enqueue(client: pg.Client, task: () => Promise<void>): Promise<void> {
    this.pending++;
    const run = this.chain.then(async () => {
      if (this.isCurrent(client)) await task();
    }).catch((err: unknown) => {
      // The connection's loss is handled by lost(); anything else is logged.
      if (this.isCurrent(client)) this.opts.logger.warn('team follower read failed', { error: describeError(err) });
    }).finally(() => { this.pending--; });
    this.chain = run;
    return run;
  }
}

function asQueryable(client: pg.Client): Queryable {
  return { query: (text, values) => client.query(text, values) as never };
}
