// The team bus: PostgreSQL LISTEN/NOTIFY on the shared store, for changes
// another relay must act on at once (team-bus-message.ts). No broker: the
// store the team already shares carries it.
//
// Each relay holds one connection of its own that LISTENs (a pooled one
// would be handed to other queries and lose the subscription), and sends
// through the store's pool (`select pg_notify`), after the change it
// announces was committed. A lost LISTEN connection is re-opened with
// backoff; since NOTIFY is not queued for an absent listener, a reconnect
// emits `resync`, and the listeners drop whatever they keep in memory.
// A connection that hangs without closing (network cut, no RST) is caught
// by a periodic probe query.
import { EventEmitter } from 'node:events';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import { backoffDelayMs, type BackoffPolicy } from '../pbx/reconnect-backoff.js';
import { teamBusEnvelope, type TeamBusEnvelope, type TeamBusMessage } from './team-bus-message.js';

export const TEAM_BUS_CHANNEL = 'relay_team_bus';
const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 5_000 };

/** Sends one NOTIFY; rejects when the store cannot take it. */
export type Notify = (channel: string, payload: string) => Promise<void>;

/** NOTIFY through the store's own pool (Kysely over pg): no connection of the bus's own for sending. */
export function storeNotify<DB>(db: Kysely<DB>): Notify {
  return async (channel, payload) => {
    await sql`select pg_notify(${channel}, ${payload})`.execute(db);
  };
}

export interface TeamBusOptions {
  /** The store's postgres:// URL: the bus opens its one LISTEN connection there. */
  url: string;
  /** This relay's member id: its own messages come back to it and are skipped. */
  memberId: string;
  notify: Notify;
  /** Default `relay_team_bus`; tests use their own. */
  channel?: string;
  clock?: Clock;
  logger?: Logger;
  /** [0, 1), for the reconnect jitter. */
  random?: () => number;
  /** Reconnect delays; default 250 ms growing to 5 s, full jitter. */
  backoff?: BackoffPolicy;
  /** How often the LISTEN connection is probed, and how long a probe may take before the connection counts as lost; default 10 s. */
  probeIntervalMs?: number;
}

export type TeamBusEvents = {
  /** Another relay's message, validated. */
  message: [message: TeamBusMessage, from: string];
  /** LISTEN is back after a loss: messages may have been missed meanwhile. */
  resync: [];
};

/** What attachTeamBus needs from the bus. */
export interface TeamBusPort {
  publish(message: TeamBusMessage): Promise<void>;
  on<E extends keyof TeamBusEvents>(event: E, listener: (...args: TeamBusEvents[E]) => void): unknown;
  off<E extends keyof TeamBusEvents>(event: E, listener: (...args: TeamBusEvents[E]) => void): unknown;
}

export class TeamBus extends EventEmitter<TeamBusEvents> implements TeamBusPort {
  private readonly channel: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private client: pg.Client | null = null;
  private isListening = false;
  private everListened = false;
  private started = false;
  private stopped = false;
  private attempt = 0;
  private retryTimer: { cancel(): void } | null = null;
  private probeTimer: { cancel(): void } | null = null;
  private readonly firstListen: Promise<void>;
  private resolveFirstListen!: () => void;

  constructor(private readonly opts: TeamBusOptions) {
    super();
    this.channel = opts.channel ?? TEAM_BUS_CHANNEL;
    if (!CHANNEL_PATTERN.test(this.channel)) throw new Error(`invalid team bus channel name: ${this.channel}`);
    this.clock = opts.clock ?? systemClock;
    this.logger = (opts.logger ?? silentLogger).child({ component: 'team-bus' });
    this.firstListen = new Promise((resolve) => { this.resolveFirstListen = resolve; });
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.isListening;
  }

  /**
   * Opens the LISTEN connection, retrying with backoff until it works.
   * Resolves once listening (or when stopped first).
   */
  start(): Promise<void> {
    if (!this.started && !this.stopped) {
      this.started = true;
      void this.connect();
    }
    return this.firstListen;
  }

  /** Tells the other relays; rejects when the store cannot take the NOTIFY. */
  async publish(message: TeamBusMessage): Promise<void> {
    const envelope: TeamBusEnvelope = { v: 1, from: this.opts.memberId, message };
    await this.opts.notify(this.channel, JSON.stringify(envelope));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = null;
    this.probeTimer?.cancel();
    this.probeTimer = null;
    this.isListening = false;
    this.resolveFirstListen();
    const client = this.client;
    this.client = null;
    if (client) await endQuietly(client);
  }

  private async connect(): Promise<void> {
    this.retryTimer = null;
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.opts.url,
      // Named per member, so an operator (or a test) can tell the members' LISTEN sessions apart.
      application_name: `3cx-relay-team-bus:${this.opts.memberId}`.slice(0, 63),
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 10_000,
    });
    this.client = client;
    let lost = false;
    const onLost = (why: string): void => {
      if (lost) return;
      lost = true;
      if (this.client !== client) return;
      this.client = null;
      this.isListening = false;
      this.probeTimer?.cancel();
      this.probeTimer = null;
      void endQuietly(client);
      if (this.stopped) return;
      this.logger.warn('team bus connection lost; reconnecting', { error: why, attempt: this.attempt });
      this.retryTimer = this.clock.setTimeout(() => void this.connect(), backoffDelayMs(this.attempt++, this.opts.random, this.opts.backoff ?? DEFAULT_BACKOFF));
    };
    client.on('error', (e) => onLost(describeError(e)));
    client.on('end', () => onLost('connection closed'));
    client.on('notification', (n) => {
      if (n.channel === this.channel) this.receive(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    } catch (e) {
      onLost(describeError(e));
      return;
    }
    if (lost || this.client !== client) return;
    this.attempt = 0;
    this.isListening = true;
    const again = this.everListened;
    this.everListened = true;
    this.logger.info(again ? 'team bus listening again' : 'team bus listening', { channel: this.channel });
    this.scheduleProbe(client, onLost);
    this.resolveFirstListen();
    if (again) this.emitSafely('resync');
  }

  private scheduleProbe(client: pg.Client, onLost: (why: string) => void): void {
    const interval = this.opts.probeIntervalMs ?? 10_000;
    this.probeTimer = this.clock.setTimeout(() => {
      if (this.client !== client) return;
      let answered = false;
      const deadline = this.clock.setTimeout(() => {
        if (!answered) onLost(`no answer to a probe within ${interval} ms`);
      }, interval);
      client.query('select 1').then(
        () => {
          answered = true;
          deadline.cancel();
          if (this.client === client) this.scheduleProbe(client, onLost);
        },
        (e: unknown) => {
          answered = true;
          deadline.cancel();
          onLost(describeError(e));
        },
      );
    }, interval);
  }

  private receive(payload: string | undefined): void {
    let parsed: ReturnType<typeof teamBusEnvelope.safeParse>;
    try {
      parsed = teamBusEnvelope.safeParse(JSON.parse(payload ?? ''));
    } catch {
      this.logger.warn('team bus: ignored a message that is not JSON', { bytes: payload?.length ?? 0 });
      return;
    }
    if (!parsed.success) {
      this.logger.warn('team bus: ignored a malformed message', { bytes: payload?.length ?? 0, issues: parsed.error.issues.map((i) => i.message).slice(0, 3) });
      return;
    }
    if (parsed.data.from === this.opts.memberId) return;
    this.emitSafely('message', parsed.data.message, parsed.data.from);
  }

  /** A listener's failure must not reach pg's socket handler (it would take the connection down). */
  private emitSafely<E extends keyof TeamBusEvents>(event: E, ...args: TeamBusEvents[E]): void {
    try {
      (this.emit as (e: E, ...a: TeamBusEvents[E]) => boolean)(event, ...args);
    } catch (e) {
      this.logger.error('team bus listener failed', { event, error: describeError(e) });
    }
  }
}

/** Ends a client without waiting on a dead socket for long. */
async function endQuietly(client: pg.Client): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    timer.unref();
    client.end().catch(() => undefined).finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
