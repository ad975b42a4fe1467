// The team stream (issue 14, contract §3 and §7): one instance per relay.
// As leader it sequences every frame of the local hub in the team log
// (team-frame-writer.ts) and writes the live state (team-state-coalescer.ts),
// all through the fence; as follower it mirrors both
// (team-frame-follower.ts). Either way the hub's `seq` is the team's, so a
// client may reconnect to any member with `?since=`.
//
// The hub is diverted while the stream runs: every component that publishes
// on it (error tracker, monitor, alerts, live calls) goes through the team
// log on the leader, and on a follower its sequenced frames are dropped (the
// leader's come through the mirror; a follower's own would collide with
// them). error_logged frames stay local on both (and the leader's also reach
// followers' admin sockets).
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { DEFAULT_REPLAY_CAPACITY, type EventHub, type FrameInput, type FramePublisher, type HubFrame } from '../events/event-hub.js';
import { catchUpHub } from './team-frame-catch-up.js';
import { TeamFrameFollower } from './team-frame-follower.js';
import { pruneFrames, writeFrames } from './team-frame-log.js';
import { TeamFrameWriter } from './team-frame-writer.js';
import { StateCoalescer } from './team-state-coalescer.js';
import { writeState } from './team-state-log.js';
import type { FencedConnection, MirroredKey, MirroredState, TeamStream } from './team-types.js';

export interface TeamStreamOptions {
  /** The shared store's postgres:// URL: the follower's LISTEN connection opens here. */
  url: string;
  hub: EventHub;
  clock?: Clock;
  logger?: Logger;
  /** Frames the log keeps; never fewer than the hub's replay capacity (10,000). */
  keepFrames?: number;
  /** How often the leader prunes the log; default 30 s. */
  pruneEveryMs?: number;
  /** Shortest time between two writes of one part of the live state; default 250 ms. */
  stateIntervalMs?: number;
  /** Most frames per log statement; default 500. */
  maxBatch?: number;
  /** Longest wait, when leaving the lead, for queued frames to be written; default 2 s. */
  handOverMs?: number;
  /** Called when a write through the fence fails: the leader must step down. */
  onWriteFailed?: (err: unknown) => void;
  /** The follower's check that its connection answers and nothing went unannounced; default 5 s. */
  followerHeartbeatMs?: number;
  /** For the follower's reconnect jitter. */
  random?: () => number;
}

export interface TeamStreamHandle extends TeamStream {
  readonly role: 'idle' | 'leader' | 'follower' | 'stopped';
  /** Resolves once every frame published so far is written (or dropped); tests and hand-over. */
  drained(): Promise<void>;
  /** Runs one prune now (leader only); resolves to the frames deleted. */
  pruneNow(): Promise<number>;
}

export function createTeamStream(opts: TeamStreamOptions): TeamStreamHandle {
  const clock = opts.clock ?? systemClock;
  const logger = (opts.logger ?? silentLogger).child({ component: 'team-stream' });
  const hub = opts.hub;
  const keep = Math.max(opts.keepFrames ?? 0, hub.capacity, DEFAULT_REPLAY_CAPACITY);
  const pruneEveryMs = opts.pruneEveryMs ?? 30_000;
  const handOverMs = opts.handOverMs ?? 2_000;
  const states = new Map<MirroredKey, unknown>();

  let role: TeamStreamHandle['role'] = 'idle';
  let writer: TeamFrameWriter | null = null;
  let coalescer: StateCoalescer<MirroredKey> | null = null;
  let follower: TeamFrameFollower | null = null;
  let fence: FencedConnection | null = null;
  let pruneTimer: { cancel(): void } | null = null;
  let stopping: Promise<void> | null = null;
  const isStopped = () => role === 'stopped';

  // A follower's own sequenced frames would collide with the leader's seqs.
  let droppedWarned = false;
  const followerPublisher: FramePublisher = {
    publish(input: FrameInput): HubFrame {
      const frame = { ...input, seq: hub.latestSeq, at: new Date(clock.now()).toISOString() } as HubFrame;
      if (frame.type === 'error_logged') {
        hub.deliver(frame);
      } else if (!droppedWarned) {
        droppedWarned = true;
        logger.warn('frame published on a follower dropped: the leader publishes the team\'s frames', { type: frame.type });
      }
      return frame;
    },
  };

  // In team mode the hub never stamps a frame itself: until this relay leads, its own sequenced frames go nowhere.
  hub.divert(followerPublisher);

  async function leaveLeadership(): Promise<void> {
    pruneTimer?.cancel();
    pruneTimer = null;
    coalescer?.close();
    const c = coalescer;
    coalescer = null;
    const w = writer;
    writer = null;
    fence = null;
    // A graceful hand-over writes what is queued; a dead fence drops it. A
    // fence that hangs (half-open connection) is not waited on for long.
    if (w) {
      await within(w.close(), handOverMs);
      w.abandon();
    }
    if (c) await within(c.settled(), handOverMs);
  }

  /** Waits for `work`, but no longer than `ms`. */
  async function within(work: Promise<void>, ms: number): Promise<void> {
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<void>((resolve) => { timer = clock.setTimeout(resolve, ms); });
    try {
      await Promise.race([work, timeout]);
    } finally {
      timer?.cancel();
    }
  }

  async function leaveFollowing(): Promise<void> {
    const f = follower;
    follower = null;
    await f?.stop();
  }

  /** Prunes periodically for as long as `w` is this relay's writer. */
  function schedulePrune(w: TeamFrameWriter): void {
    pruneTimer = clock.setTimeout(() => {
      pruneTimer = null;
      void prune().finally(() => {
        if (writer === w && !w.failed) schedulePrune(w);
      });
    }, pruneEveryMs);
  }

  async function prune(): Promise<number> {
    if (!fence) return 0;
    try {
      const n = await pruneFrames(fence, keep);
      if (n > 0) logger.debug('team log pruned', { deleted: n, keep });
      return n;
    } catch (err) {
      logger.warn('team log prune failed', { err });
      return 0;
    }
  }

  const stream: TeamStreamHandle = {
    get role() { return role; },
    get latestSeq() { return hub.latestSeq; },

    async lead(f: FencedConnection): Promise<FramePublisher> {
      if (role === 'stopped') throw new Error('team stream stopped');
      await leaveFollowing();
      await leaveLeadership();
      if (!isStopped()) role = 'idle';
      // Frames the hub missed (as a follower, or before it ever followed) come first.
      const caughtUp = await catchUpHub(f, hub, logger);
      // stop() may have run during the catch-up (TS cannot see that across the await).
      if (isStopped()) throw new Error('team stream stopped');
      const w = new TeamFrameWriter({
        nextSeq: hub.latestSeq + 1,
        clock,
        logger,
        maxBatch: opts.maxBatch,
        write: (batch) => writeFrames(f, batch.frames, batch.notices),
        deliver: (frame, bytes) => void hub.deliver(frame, bytes),
        deliveredSeq: () => hub.latestSeq,
        onFailed: (err) => {
          pruneTimer?.cancel();
          pruneTimer = null;
          coalescer?.close();
          opts.onWriteFailed?.(err);
        },
      });
      writer = w;
      fence = f;
      coalescer = new StateCoalescer<MirroredKey>({
        clock,
        logger,
        intervalMs: opts.stateIntervalMs,
        write: (key, value) => writeState(f, key, value, new Date(clock.now()).toISOString()),
      });
      hub.divert(w);
      role = 'leader';
      schedulePrune(w);
      logger.info('team stream leading', { ...caughtUp, nextSeq: w.nextSeq });
      return w;
    },

    publishState<K extends MirroredKey>(key: K, value: MirroredState[K]): void {
      if (role !== 'leader' || !coalescer) return;
      states.set(key, value);
      coalescer.set(key, value);
    },

    async follow(): Promise<void> {
      if (role === 'stopped') throw new Error('team stream stopped');
      await leaveLeadership();
      await leaveFollowing();
      // stop() may have run meanwhile: a follower started now would outlive it (its connection, its timers).
      if (isStopped()) return;
      hub.divert(followerPublisher);
      role = 'follower';
      const fo = new TeamFrameFollower({
        url: opts.url,
        hub,
        clock,
        logger,
        random: opts.random,
        heartbeatMs: opts.followerHeartbeatMs,
        onState: (key, value) => void states.set(key, value),
      });
      follower = fo;
      await fo.start();
    },

    mirrored<K extends MirroredKey>(key: K): MirroredState[K] | null {
      return (states.get(key) as MirroredState[K] | undefined) ?? null;
    },

    async drained(): Promise<void> {
      await writer?.drained();
      await coalescer?.settled();
    },

    pruneNow: () => prune(),

    stop(): Promise<void> {
      stopping ??= (async () => {
        role = 'stopped';
        await leaveFollowing();
        await leaveLeadership();
        hub.divert(null);
      })();
      return stopping;
    },
  };
  return stream;
}
