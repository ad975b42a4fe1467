// Who holds the 3CX connections in a team: the relay holding a session-level
// advisory lock on its own dedicated PostgreSQL connection (not the store's
// pool, whose sessions come and go). The lock lives exactly as long as that
// session, so a dead relay, or one cut off from the database, releases it,
// and another relay takes it on its next try (every `lockRetryMs`).
//
// Why two leaders cannot overlap (split-brain; docs/team-election.md):
//  - The server releases the lock only when the lock session ends. It ends
//    (a) because the leader closed it (then the leader knows), (b) because
//    the leader's process died (then it holds nothing), (c) because an admin
//    terminated the backend (the socket closes: the leader's client sees
//    'error'/'end' at once and steps down), or (d) because the server stopped
//    hearing the leader (network loss). In (d) the server needs at least
//    tcp_keepalives_idle + interval × count (or tcp_user_timeout, with a
//    reply in flight) = 6 s, as set on the session below, before it drops
//    the session. The leader, meanwhile, checks its lock connection every
//    `heartbeatMs` (1 s) and gives up when an answer takes longer than
//    `heartbeatTimeoutMs` (1.5 s): it has stepped down (upstreams stopped)
//    within ~2.5 s of the last good answer, long before the server can hand
//    the lock to anyone.
//  - Stepping down waits for the listeners (they stop the upstreams) before
//    this relay tries for the lock again, so one relay never overlaps itself.
//  - Every write only the leader may make goes through the lock's own
//    connection (the fence): once the session is gone, such a write fails
//    instead of landing after another relay took over.
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { TeamRole } from '../contract/api-types.js';
import type { FencedConnection, Leadership, LeadershipChange } from './team-types.js';

export const LOCK_APPLICATION_NAME = '3cx-relay-leader-lock';

/** Server-side dead-peer detection on the lock session; see the comment at the top. */
export interface LockKeepalive {
  idleS: number;
  intervalS: number;
  count: number;
  /** tcp_user_timeout: how long sent data may stay unacknowledged. */
  userTimeoutMs: number;
}

export const DEFAULT_LOCK_KEEPALIVE: LockKeepalive = { idleS: 3, intervalS: 1, count: 3, userTimeoutMs: 6_000 };

export interface LeaderElectionOptions {
  /** The store's postgres:// URL. */
  url: string;
  /** The advisory lock's two int4 keys (teamLockKey). */
  key: readonly [number, number];
  clock: Clock;
  logger: Logger;
  lockRetryMs?: number;
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  keepalive?: LockKeepalive;
}

export interface LeaderElection extends Leadership {
  /** Starts trying for the lock; the first outcome ('leader' or 'follower') is reported as a change too. */
  start(): void;
  /**
   * Gives the lock up now (a write through the fence failed: this session
   * can no longer be trusted to hold it). Steps down like a lost lock, then
   * tries again after `lockRetryMs`.
   */
  relinquish(): void;
  /** Stops trying, steps down (waiting for the listeners) and closes the lock connection. */
  stop(): Promise<void>;
}

/**
 * The lock key of a team: relays with the same store and the same PBX (URL +
 * client id) form one team. Without a PBX, one fixed key.
 */
export function teamLockKey(pbx: { url: string; clientId: string } | null): [number, number] {
  const basis = pbx ? `3cx-relay-team\n${pbx.url.replace(/\/+$/, '').toLowerCase()}\n${pbx.clientId}` : '3cx-relay-team\n(no pbx)';
  const digest = createHash('sha256').update(basis).digest();
  return [digest.readInt32BE(0), digest.readInt32BE(4)];
}

type Listener = (change: LeadershipChange) => void | Promise<void>;

export function createLeaderElection(o: LeaderElectionOptions): LeaderElection {
  const { clock } = o;
  const logger = o.logger.child({ component: 'leader-election' });
  const lockRetryMs = o.lockRetryMs ?? 1_000;
  const heartbeatMs = o.heartbeatMs ?? 1_000;
  const heartbeatTimeoutMs = o.heartbeatTimeoutMs ?? 1_500;
  const keepalive = o.keepalive ?? DEFAULT_LOCK_KEEPALIVE;
  const listeners = new Set<Listener>();

  let role: TeamRole = 'follower';
  let since = clock.now();
  let decided = false;
  let stopped = false;
  let loop: Promise<void> | null = null;
  /** Changes are delivered one after another: a step-down waits for the 'leader' listener still running. */
  let delivering: Promise<void> = Promise.resolve();
  let wake: (() => void) | null = null;
  let current: { client: pg.Client; lost: boolean; onLost: Set<() => void>; queue: Promise<unknown> } | null = null;
  /** Ends the hold on the lock without closing its session (relinquish, stop): the step-down runs first. */
  let endHold: (() => void) | null = null;
  /** Set by relinquish(), possibly while the 'leader' listener still runs (before the hold began). */
  let givingUp = false;

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = clock.setTimeout(() => { wake = null; resolve(); }, ms);
    wake = () => { t.cancel(); wake = null; resolve(); };
  });

  const deliver = (change: LeadershipChange): Promise<void> => {
    delivering = delivering.then(async () => {
      for (const l of [...listeners]) {
        try {
          await l(change);
        } catch (e) {
          logger.error('leadership listener failed', { role: change.role, error: describeError(e) });
        }
      }
    });
    return delivering;
  };

  const setRole = async (next: TeamRole, fence?: FencedConnection): Promise<void> => {
    // Already there: still wait for a delivery in progress (a step-down stopping the upstreams).
    if (decided && next === role) return delivering;
    decided = true;
    role = next;
    since = clock.now();
    logger.info(next === 'leader' ? 'this relay leads the team' : 'this relay follows the team', { since: new Date(since).toISOString() });
    await deliver(next === 'leader' ? { role: 'leader', fence: fence!, since } : { role: 'follower', since });
  };

  const connect = async () => {
    const client = new pg.Client({
      connectionString: o.url,
      keepAlive: true,
      keepAliveInitialDelayMillis: 1_000,
      application_name: LOCK_APPLICATION_NAME,
      connectionTimeoutMillis: 5_000,
    });
    const session = { client, lost: false, onLost: new Set<() => void>(), queue: Promise.resolve() as Promise<unknown> };
    const lose = (why: string) => {
      if (session.lost) return;
      session.lost = true;
      logger.warn('lock connection lost', { why });
      for (const f of session.onLost) f();
    };
    client.on('error', (e) => lose(describeError(e)));
    client.on('end', () => lose('connection ended'));
    current = session;
    await client.connect();
    await client.query(
      `select set_config('tcp_keepalives_idle', $1, false), set_config('tcp_keepalives_interval', $2, false),
              set_config('tcp_keepalives_count', $3, false), set_config('tcp_user_timeout', $4, false)`,
      [String(keepalive.idleS), String(keepalive.intervalS), String(keepalive.count), String(keepalive.userTimeoutMs)],
    );
    return session;
  };

  const closeCurrent = async () => {
    const s = current;
    current = null;
    if (!s) return;
    s.lost = true;
    for (const f of s.onLost) f();
    // end() of a client whose socket already ended may never settle: bounded.
    await new Promise<void>((resolve) => {
      const t = clock.setTimeout(resolve, 1_000);
      s.client.end().catch(() => {}).finally(() => { t.cancel(); resolve(); });
    });
  };

  // One query at a time on the lock connection (heartbeat, lock attempts and the fenced writes share
  // it): pg queues overlapping queries itself, but that is deprecated and goes in pg 9.
  const oneAtATime = <R extends pg.QueryResultRow = pg.QueryResultRow>(s: NonNullable<typeof current>, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> => {
    const result = s.queue.then(() => s.client.query<R>(text, values));
    s.queue = result.then(() => {}, () => {});
    return result;
  };

  /** A query that must answer within `ms`, or the session counts as lost. */
  const timed = <T>(s: NonNullable<typeof current>, work: Promise<T>, ms: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const t = clock.setTimeout(() => reject(new Error(`no answer on the lock connection within ${ms} ms`)), ms);
      const gone = () => reject(new Error('lock connection lost'));
      s.onLost.add(gone);
      work.then(resolve, reject).finally(() => { t.cancel(); s.onLost.delete(gone); });
    });

  const fenceOf = (s: NonNullable<typeof current>): FencedConnection => ({
    async query(text, values) {
      if (s.lost || current !== s) throw new Error('the leader lock is lost: write refused');
      const r = await timed(s, oneAtATime(s, text, values as unknown[]), 10_000);
      return { rows: r.rows as never[], rowCount: r.rowCount };
    },
  });

  /** Resolves when the held lock is lost (heartbeat failed or the connection went). */
  const holdLock = (s: NonNullable<typeof current>) => new Promise<void>((resolve) => {
    s.onLost.add(resolve);
    endHold = resolve;
    // Lost while the 'leader' listener ran (no heartbeat then): onLost has fired already.
    if (givingUp || s.lost) return resolve();
    const beat = () => {
      if (s.lost || stopped) return resolve();
      void timed(s, oneAtATime(s, 'select 1'), heartbeatTimeoutMs).then(
        () => { if (!s.lost) next = clock.setTimeout(beat, heartbeatMs); },
        (e) => { logger.warn('lock heartbeat failed', { error: describeError(e) }); resolve(); },
      );
    };
    let next = clock.setTimeout(beat, heartbeatMs);
    s.onLost.add(() => next.cancel());
  });

  const run = async () => {
    while (!stopped) {
      try {
        const s = current && !current.lost ? current : (await closeCurrent(), await connect());
        const r = await timed(s, oneAtATime<{ locked: boolean }>(s, 'select pg_try_advisory_lock($1, $2) as locked', [o.key[0], o.key[1]]), 5_000);
        if (stopped) break;
        if (r.rows[0]?.locked) {
          givingUp = false;
          await setRole('leader', fenceOf(s));
          if (!stopped) await holdLock(s);
          endHold = null;
          // Upstreams stop while this session may still hold the lock (a slow server, a
          // relinquish, a stop): nobody else can take it before they have stopped.
          await setRole('follower');
          // Whatever ended the hold, this session no longer proves the lock: drop it.
          await closeCurrent();
        } else {
          await setRole('follower');
        }
      } catch (e) {
        if (stopped) break;
        logger.warn('leader lock attempt failed', { error: describeError(e) });
        await closeCurrent();
        await setRole('follower');
      }
      if (!stopped) await sleep(lockRetryMs);
    }
  };

  return {
    get role() { return role; },
    get since() { return since; },
    onChange(listener) {
      const entry: Listener = (c) => listener(c);
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    start() {
      loop ??= run();
    },
    relinquish() {
      if (role !== 'leader') return;
      givingUp = true;
      endHold?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      endHold?.();
      // Step down while still holding the lock, then release it.
      if (role === 'leader') await setRole('follower');
      await closeCurrent();
      await loop;
      await delivering;
    },
  };
}
