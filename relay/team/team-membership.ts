// The team's member list: each relay upserts its own row (role, since, the
// newest `seq` it delivered) every second in the shared store and reads the
// others' back, so /relay/health can name the leader, the members and how far
// each lags behind. Health is answered synchronously from the last read.
// Members unseen for `staleMs` are gone: left out and pruned.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { TeamHealth, TeamMember, TeamRole } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';

export interface TeamMembersTable {
  id: string;
  url: string;
  role: TeamRole;
  /** ISO-8601. */
  since: string;
  /** bigint: `pg` returns text. */
  last_seq: number | string;
  /** ISO-8601, this member's clock (team members are expected to keep NTP time). */
  seen_at: string;
}

/** `host:port-abcd`: readable, and unique even for two runs on one host and port. */
export function teamMemberId(port: number, host = os.hostname(), suffix = randomBytes(2).toString('hex')): string {
  return `${host}:${port}-${suffix}`;
}

export interface TeamMembershipOptions {
  /** The store's database (its pool; membership is not fenced, every member writes its own row). */
  db: Kysely<never>;
  self: { id: string; url: string };
  role(): { role: TeamRole; since: number };
  latestSeq(): number;
  upstreamConnections(): number;
  clock: Clock;
  logger: Logger;
  heartbeatMs?: number;
  staleMs?: number;
}

export interface TeamMembership {
  start(): void;
  /** Writes this member's row and reads the team now (also after a role change, so health follows at once). */
  beat(): Promise<void>;
  health(): TeamHealth;
  /** Stops beating and removes this member's row. */
  stop(): Promise<void>;
}

export function createTeamMembership(o: TeamMembershipOptions): TeamMembership {
  const { clock } = o;
  const logger = o.logger.child({ component: 'team-membership' });
  const db = (o.db as unknown as Kysely<Record<string, never>>).withTables<{ team_members: TeamMembersTable }>();
  const heartbeatMs = o.heartbeatMs ?? 1_000;
  const staleMs = o.staleMs ?? 10_000;
  // A leader that stopped beating (killed) is not named leader for long: three missed beats.
  const leaderStaleMs = Math.min(staleMs, heartbeatMs * 3);
  let rows: TeamMembersTable[] = [];
  let timer: { cancel(): void } | null = null;
  let stopped = false;
  let beating: Promise<void> = Promise.resolve();

  const writeAndRead = async () => {
    const now = clock.now();
    const { role, since } = o.role();
    const row = { id: o.self.id, url: o.self.url, role, since: new Date(since).toISOString(), last_seq: o.latestSeq(), seen_at: new Date(now).toISOString() };
    await db.insertInto('team_members').values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ url: row.url, role: row.role, since: row.since, last_seq: row.last_seq, seen_at: row.seen_at }))
      .execute();
    const cutoff = new Date(now - staleMs).toISOString();
    await db.deleteFrom('team_members').where('seen_at', '<', cutoff).execute();
    rows = await db.selectFrom('team_members').selectAll().orderBy('id').execute();
  };

  const beat = (): Promise<void> => {
    beating = beating.then(() => (stopped ? undefined : writeAndRead()))
      .catch((e) => logger.warn('team heartbeat failed', { error: describeError(e) }));
    return beating;
  };

  const schedule = () => {
    timer = clock.setTimeout(() => void beat().finally(() => { if (!stopped) schedule(); }), heartbeatMs);
  };

  return {
    start() {
      if (timer || stopped) return;
      void beat();
      schedule();
    },
    beat,
    health(): TeamHealth {
      const now = clock.now();
      const self = o.role();
      const fresh = rows.filter((r) => now - Date.parse(r.seen_at) <= staleMs && r.id !== o.self.id);
      const selfRow: TeamMembersTable = {
        id: o.self.id, url: o.self.url, role: self.role, since: new Date(self.since).toISOString(), last_seq: o.latestSeq(),
        seen_at: rows.find((r) => r.id === o.self.id)?.seen_at ?? new Date(now).toISOString(),
      };
      const all = [...fresh, selfRow].sort((a, b) => a.id.localeCompare(b.id));
      const leaders = all.filter((r) => r.role === 'leader' && (r.id === o.self.id || now - Date.parse(r.seen_at) <= leaderStaleMs));
      const leader = self.role === 'leader' ? selfRow : leaders.sort((a, b) => b.since.localeCompare(a.since))[0] ?? null;
      const top = leader ? Number(leader.last_seq) : Math.max(...all.map((r) => Number(r.last_seq)));
      const members: TeamMember[] = all.map((r) => ({
        id: r.id,
        role: r.role,
        since: r.since,
        lagSeq: Math.max(0, top - Number(r.last_seq)),
        url: r.url,
        seenAt: r.seen_at,
      }));
      return { self: o.self.id, leader: leader?.id ?? null, members, upstreamConnections: o.upstreamConnections() };
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      await beating;
      // Leaving on purpose: the others need not wait for the row to go stale.
      await db.deleteFrom('team_members').where('id', '=', o.self.id).execute()
        .catch((e) => logger.warn('team member row not removed', { error: describeError(e) }));
    },
  };
}
