// Team mode for one relay (issue 14): the election, the member heartbeat and
// the team stream, and what a change of role does to this relay. As leader
// it takes the stream's writer, then starts its upstream side (3CX clients,
// supervisor loop, alert engine) and keeps publishing the live state; as
// follower it stops that side FIRST (awaited: the election waits for it
// before anyone here may try for the lock again) and mirrors the leader.
// The running record (running-relay.ts) supplies the upstream side.
import type { Kysely } from 'kysely';
import type { Health, TeamHealth } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { FrameSource } from '../events/event-hub.js';
import { createLeaderElection, teamLockKey, type LeaderElection } from './leader-election.js';
import type { TeamView } from './role-facades.js';
import { createTeamMembership, teamMemberId, type TeamMembership } from './team-membership.js';
import type { LeadershipChange, MirroredState, TeamStream } from './team-types.js';

/** The leader-only half of the running relay. */
export interface UpstreamSide {
  /** Builds and launches the 3CX clients, starts the supervisor loop and the alert engine. */
  start(): Promise<void>;
  /** Stops all of it; resolves once no 3CX connection is open. */
  stop(): Promise<void>;
  /** 3CX connections held now. */
  connections(): number;
  /** The live state a follower serves (calls may fail: skipped until the next try). */
  state(): { calls(): Promise<MirroredState['calls']>; health(): Health; supervisor(): MirroredState['supervisor'] };
}

export interface TeamModeOptions {
  storeUrl: string;
  db: Kysely<never>;
  pbx: { url: string; clientId: string } | null;
  stream: TeamStream;
  /** The hub the stream delivers into: frames that change the live state trigger a publish. */
  frames: FrameSource;
  upstream: UpstreamSide;
  clock: Clock;
  logger: Logger;
  /** How often the leader republishes the live state even without a change (default 2 s). */
  statePublishMs?: number;
  election?: { lockRetryMs?: number; heartbeatMs?: number; heartbeatTimeoutMs?: number };
}

export interface TeamMode extends TeamView {
  readonly election: LeaderElection;
  /** Joins: the member row (with the URL this relay listens on) and the election. */
  start(self: { url: string; port: number }): void;
  health(): TeamHealth | undefined;
  /** This relay's member id, once started. */
  memberId(): string | null;
  /** The URL the leader announced, while one is known (and it is not this relay). */
  leaderUrl(): string | null;
  stop(): Promise<void>;
}

const STATE_FRAMES = new Set(['calls', 'connection_state', 'queue_stats', 'agent_state']);

export function createTeamMode(o: TeamModeOptions): TeamMode {
  const { clock, stream, upstream } = o;
  const logger = o.logger.child({ component: 'team' });
  const election = createLeaderElection({ url: o.storeUrl, key: teamLockKey(o.pbx), clock, logger, ...o.election });
  const statePublishMs = o.statePublishMs ?? 2_000;
  let membership: TeamMembership | null = null;
  let selfId: string | null = null;
  let leading = false;
  let publishTimer: { cancel(): void } | null = null;
  let unsubscribe: (() => void) | null = null;
  let publishQueued = false;
  let stopping = false;
  let ledAt = 0;

  const publishState = () => {
    if (!leading) return;
    const s = upstream.state();
    try {
      const h = s.health();
      stream.publishState('health', { components: h.components, ...(h.pbx ? { pbx: h.pbx } : {}), ...(h.callControlCoverage ? { callControlCoverage: h.callControlCoverage } : {}) });
      stream.publishState('supervisor', s.supervisor());
    } catch (e) {
      logger.warn('live state not published', { error: describeError(e) });
    }
    s.calls().then((calls) => { if (leading) stream.publishState('calls', calls); }, () => {});
  };
  // Many frames in one tick (a burst of call events) make one publish.
  const queuePublish = () => {
    if (publishQueued) return;
    publishQueued = true;
    queueMicrotask(() => { publishQueued = false; publishState(); });
  };
  const tick = () => {
    publishState();
    publishTimer = clock.setTimeout(tick, statePublishMs);
  };

  const toLeader = async (fence: Extract<LeadershipChange, { role: 'leader' }>['fence']) => {
    await stream.lead(fence);
    leading = true;
    ledAt = clock.now();
    await upstream.start();
    unsubscribe = o.frames.subscribe((f) => { if (STATE_FRAMES.has(f.type)) queuePublish(); });
    tick();
  };
  const toFollower = async () => {
    // Upstreams first: from here on this relay must hold no 3CX connection.
    leading = false;
    publishTimer?.cancel();
    publishTimer = null;
    unsubscribe?.();
    unsubscribe = null;
    await upstream.stop();
    // Leaving the team altogether: nothing left to mirror.
    if (!stopping) await stream.follow();
  };

  election.onChange(async (change) => {
    try {
      if (change.role === 'leader') await toLeader(change.fence);
      else await toFollower();
    } catch (e) {
      logger.error('role change failed', { role: change.role, error: describeError(e) });
      if (change.role === 'leader') {
        // Half a leader is worse than none: give the lock back, another relay (or this one, later) takes it.
        await toFollower().catch(() => {});
        election.relinquish();
      }
    }
    // Not awaited: the beat writes through the store's pool, which has no
    // deadline, and the election must get to its lock heartbeat (or its next
    // try) whatever the pool does.
    void membership?.beat();
  });

  return {
    election,
    following: () => !leading,
    leadingForMs: () => (leading ? clock.now() - ledAt : 0),
    mirrored: (key) => stream.mirrored(key),
    start(self) {
      selfId ??= teamMemberId(self.port);
      membership ??= createTeamMembership({
        db: o.db, self: { id: selfId, url: self.url }, clock, logger,
        role: () => ({ role: election.role, since: election.since }),
        latestSeq: () => stream.latestSeq,
        upstreamConnections: () => upstream.connections(),
      });
      membership.start();
      election.start();
    },
    health: () => membership?.health(),
    memberId: () => selfId,
    leaderUrl() {
      const team = membership?.health();
      const leader = team?.members.find((m) => m.id === team.leader);
      return leader && leader.id !== team?.self ? leader.url : null;
    },
    async stop() {
      stopping = true;
      // A follower's mirror may still be connecting or catching up inside the
      // election's change listener, which election.stop() waits for: end it
      // first (a store that does not answer would hold the stop up). A
      // leader's stream stops after the step-down, as its upstreams publish until then.
      if (!leading) await stream.stop();
      await election.stop();
      await membership?.stop();
      await stream.stop();
    },
  };
}
