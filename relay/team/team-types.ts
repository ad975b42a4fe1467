// The seams of team mode (several relays on one PostgreSQL store; see
// docs/team-mode.md). Three parts meet here and nowhere else:
//   - the election (leader-election.ts): who holds the 3CX connections, and
//     the lock connection that fences every write only the leader may make;
//   - the stream (team-frame-*.ts, team-state-*.ts): the leader's frames and
//     live state, logged in the store and mirrored by followers;
//   - the bus (team-bus.ts): store changes other relays must act on at once
//     (a key or session revoked, alert rules edited) and control commands a
//     follower hands to the leader.
// Only the running record (running-relay.ts) wires them together.
import type { ActiveCallsResponse, Health, TeamRole } from '../contract/api-types.js';
import type { AgentState, PbxOverview, QueueFigures } from '../contract/supervisor-types.js';
import type { FramePublisher } from '../events/event-hub.js';

/**
 * The connection that holds the leader's advisory lock. A session-level lock
 * lives exactly as long as its session, so a write sent through this
 * connection cannot land once another relay could hold the lock: that is the
 * fence. It rejects once the lock is lost (connection closed or failed).
 */
export interface FencedConnection {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

export type LeadershipChange =
  | { role: 'leader'; fence: FencedConnection; since: number }
  | { role: 'follower'; since: number };

/** The election as the rest of the relay sees it. */
export interface Leadership {
  readonly role: TeamRole;
  /** Epoch ms the current role was taken. */
  readonly since: number;
  /**
   * Called on each change, in order. On the way down ('follower' after
   * 'leader') the listener must stop the upstreams before it returns or
   * resolves: the election waits for it before it may try for the lock again.
   */
  onChange(listener: (change: LeadershipChange) => void | Promise<void>): () => void;
}

/** The leader's live state that followers serve from the mirror instead of asking 3CX. */
export interface MirroredState {
  /** What GET /relay/active-calls answers. */
  calls: ActiveCallsResponse;
  /** The upstream part of GET /relay/health. */
  health: Pick<Health, 'components' | 'pbx' | 'callControlCoverage'>;
  /** GET /relay/queues, /relay/agents, /relay/pbx. */
  supervisor: { queues: QueueFigures[]; agents: AgentState[]; pbx: PbxOverview };
}
export type MirroredKey = keyof MirroredState;

/** Frames and live state across the team, one instance per relay. */
export interface TeamStream {
  /**
   * Becomes the team's writer: catches the local hub up to the newest frame
   * in the team log, then returns the publisher the upstream side must use.
   * A frame it takes gets the next team `seq` at once, reaches the log
   * (through the fence) and only then local subscribers and the replay
   * buffer, in order; frames not yet written when the fence fails are
   * dropped, never delivered anywhere.
   */
  lead(fence: FencedConnection): Promise<FramePublisher>;
  /** Leader: the newest value of one part of the live state (coalesced, written through the fence). */
  publishState<K extends MirroredKey>(key: K, value: MirroredState[K]): void;
  /** Mirrors the team log into the local hub (same `seq`), and the live state. */
  follow(): Promise<void>;
  /** Follower: the newest live state the leader published (null before the first). */
  mirrored<K extends MirroredKey>(key: K): MirroredState[K] | null;
  /** The newest `seq` this relay has delivered locally. */
  readonly latestSeq: number;
  stop(): Promise<void>;
}
