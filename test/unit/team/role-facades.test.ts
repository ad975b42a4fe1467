// The follower's facades: live calls, figures and health from the mirror
// while following; the relay's own services while leading, with the team's
// last list standing in only just after a take-over.
import { describe, expect, it } from 'vitest';
import type { ActiveCallsResponse, Health } from '../../../relay/contract/api-types.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { unwatchedHealth } from '../../../relay/monitor/connection-monitor.js';
import { TAKEOVER_GRACE_MS, TeamActiveCalls, TeamSupervisor, teamHealthView, type TeamView } from '../../../relay/team/role-facades.js';
import type { MirroredKey, MirroredState } from '../../../relay/team/team-types.js';
import { ManualClock } from '../../support/manual-clock.js';

const clock = new ManualClock();
const at = new Date(clock.now()).toISOString();
const mirroredCalls: ActiveCallsResponse = {
  value: [{ Id: 7, Caller: '100', Callee: '200', Status: 'Talking', LastChangeStatus: at, EstablishedAt: at, ServerNow: at }],
  source: 'xapi', asOf: at,
};

function teamView(state: Partial<MirroredState>, role: { following: boolean; leadingForMs?: number }): TeamView {
  return {
    following: () => role.following,
    leadingForMs: () => (role.following ? 0 : role.leadingForMs ?? 0),
    mirrored: <K extends MirroredKey>(key: K) => (state[key] as MirroredState[K] | undefined) ?? null,
  };
}

// No upstream configured: the relay's own list fails (as a relay that just took over, clients not up yet).
const noUpstreams = { upstreams: () => ({}), clock };

describe('role facades', () => {
  it('a follower answers live calls from the mirror, and says so plainly before the first one', async () => {
    await expect(new TeamActiveCalls(noUpstreams, teamView({ calls: mirroredCalls }, { following: true })).list()).resolves.toEqual(mirroredCalls);
    const none = new TeamActiveCalls(noUpstreams, teamView({}, { following: true }));
    await expect(none.list()).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/team leader/) });
  });

  it('a leader answers from its own service; the team\'s last list stands in only just after taking over', async () => {
    const fresh = new TeamActiveCalls(noUpstreams, teamView({ calls: mirroredCalls }, { following: false, leadingForMs: 1_000 }));
    await expect(fresh.list()).resolves.toEqual(mirroredCalls);
    const settled = new TeamActiveCalls(noUpstreams, teamView({ calls: mirroredCalls }, { following: false, leadingForMs: TAKEOVER_GRACE_MS + 1 }));
    await expect(settled.list()).rejects.toBeInstanceOf(RelayError);
  });

  it('a follower\'s queue, agent and PBX figures are the leader\'s', () => {
    const supervisorState = { queues: [{ id: 3 }], agents: [{ extension: '100' }], pbx: { version: '20' } } as unknown as MirroredState['supervisor'];
    const deps = { xapi: () => null, coverage: () => null, calls: { list: async () => mirroredCalls }, clock, publish: () => {} };
    const s = new TeamSupervisor(deps, teamView({ supervisor: supervisorState }, { following: true }));
    expect(s.queues()).toBe(supervisorState.queues);
    expect(s.queue(3)).toEqual({ id: 3 });
    expect(s.queue(4)).toBeUndefined();
    expect(s.agents()).toBe(supervisorState.agents);
    expect(s.pbx()).toBe(supervisorState.pbx);
  });

  it('health: own version and uptime, the leader\'s components (status recomputed), and the team block', () => {
    const own = unwatchedHealth('1.2.3', clock.now() - 5_000, clock.now());
    const connected = { state: 'connected' as const, latencyMs: 3, lastError: null, since: at };
    const leaderHealth: MirroredState['health'] = { components: { xapi: connected, callcontrol: connected, database: connected }, pbx: null, callControlCoverage: null };
    const block = { self: 'b', leader: 'a', members: [], upstreamConnections: 0 };
    const h: Health = teamHealthView(() => own, teamView({ health: leaderHealth }, { following: true }), () => block)();
    expect(h).toMatchObject({ version: '1.2.3', uptimeS: 5, status: 'ok', components: leaderHealth.components, team: block });
    // While leading, its own health (here: nothing configured).
    const lead = teamHealthView(() => own, teamView({ health: leaderHealth }, { following: false }), () => block)();
    expect(lead.components).toEqual(own.components);
    expect(lead.team).toBe(block);
  });
});
