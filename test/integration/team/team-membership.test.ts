// The member list on the real engines: each relay's row, the leader named,
// lag against the leader's seq, stale members left out and pruned.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { teamHealth } from '../../../relay/contract/response-schemas.js';
import type { TeamRole } from '../../../relay/contract/api-types.js';
import { createTeamMembership, teamMemberId, type TeamMembership } from '../../../relay/team/team-membership.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ENGINES, openTestStore, type TestStore } from '../store/test-store.js';

let t: TestStore | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

function member(store: TestStore, clock: ManualClock, id: string, state: { role: TeamRole; since: number; seq: number; ups: number }): TeamMembership {
  return createTeamMembership({
    db: store.store.db as never, self: { id, url: `http://${id}` }, clock, logger: silentLogger,
    role: () => ({ role: state.role, since: state.since }), latestSeq: () => state.seq, upstreamConnections: () => state.ups,
  });
}

describe.each(ENGINES)('team membership (%s)', (engine) => {
  it('names the leader, every member and its lag; a member unseen for 10 s is left out and pruned', async () => {
    t = await openTestStore(engine);
    const clock = new ManualClock();
    const a = { role: 'leader' as TeamRole, since: clock.now(), seq: 120, ups: 3 };
    const b = { role: 'follower' as TeamRole, since: clock.now(), seq: 100, ups: 0 };
    const ma = member(t, clock, 'host-a:1-aaaa', a);
    const mb = member(t, clock, 'host-b:2-bbbb', b);
    await ma.beat();
    await mb.beat();
    const hb = mb.health();
    expect(teamHealth.parse(hb)).toEqual(hb);
    expect(hb).toMatchObject({ self: 'host-b:2-bbbb', leader: 'host-a:1-aaaa', upstreamConnections: 0 });
    expect(hb.members.map((m) => [m.id, m.role, m.lagSeq])).toEqual([['host-a:1-aaaa', 'leader', 0], ['host-b:2-bbbb', 'follower', 20]]);
    expect(ma.health()).toMatchObject({ self: 'host-a:1-aaaa', leader: 'host-a:1-aaaa', upstreamConnections: 3 });

    // a stops beating (killed): after 3 s it is no longer named leader, after 10 s it is gone.
    clock.advance(4_000);
    await mb.beat();
    expect(mb.health().leader).toBeNull();
    expect(mb.health().members).toHaveLength(2);
    clock.advance(7_000);
    await mb.beat();
    expect(mb.health().members.map((m) => m.id)).toEqual(['host-b:2-bbbb']);
    const left = await t.store.db.selectFrom('team_members' as never).selectAll().execute();
    expect(left).toHaveLength(1);

    // b takes over: its own row says so at once.
    b.role = 'leader';
    b.since = clock.now();
    expect(mb.health()).toMatchObject({ leader: 'host-b:2-bbbb', members: [{ id: 'host-b:2-bbbb', role: 'leader', lagSeq: 0 }] });
    await mb.stop();
    expect(await t.store.db.selectFrom('team_members' as never).selectAll().execute()).toHaveLength(0);
  });

  it('member ids carry host and port and differ between runs', () => {
    expect(teamMemberId(8080, 'box')).toMatch(/^box:8080-[0-9a-f]{4}$/);
    expect(new Set(Array.from({ length: 20 }, () => teamMemberId(1, 'h'))).size).toBeGreaterThan(1);
  });
});
