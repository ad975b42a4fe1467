// The pure parts of the team benchmarks: how segments combine, how failover
// timings are summarised, and how the leader is found from a member's health.
import { describe, expect, it } from 'vitest';
import type { Health, TeamHealth, TeamMember } from '../../../relay/contract/api-types.js';
import { combinePhases, type FanOutPhase } from '../../../bench/support/fan-out-phase.js';
import { rankSummary } from '../../../bench/support/rank-summary.js';
import type { RelayChild } from '../../../bench/support/relay-process.js';
import { leaderByHealth, leadsItself, leadsWithUpstreams } from '../../../bench/support/team-relays.js';

const phase = (latencies: number[], o: Partial<FanOutPhase> = {}): FanOutPhase => ({
  emitted: 10, deliveries: latencies.length, p50Ms: NaN, p99Ms: NaN, maxMs: NaN, lost: 0, seqGaps: 0,
  outOfOrder: 0, duplicates: 0, closed1013: 0, cpu: { relay: 40 }, latencies: Float64Array.from(latencies), ...o,
});

describe('combinePhases', () => {
  it('takes percentiles over every delivery of all segments and adds the counts', () => {
    const a = phase([1, 2, 3, 4], { lost: 1, seqGaps: 2, cpu: { relay: 40 } });
    const b = phase([100, 200, 300, 400], { lost: 3, outOfOrder: 1, cpu: { relay: 60 } });
    const c = combinePhases([a, b]);
    expect(c.deliveries).toBe(8);
    expect(c.emitted).toBe(20);
    expect(c.lost).toBe(4);
    expect(c.seqGaps).toBe(2);
    expect(c.outOfOrder).toBe(1);
    expect(c.maxMs).toBe(400);
    // Median of the eight: the fifth by rank (distribution() takes floor(0.5 n)).
    expect(c.p50Ms).toBe(100);
    expect(c.cpu.relay).toBe(50);
  });

  it('gives null CPU when a segment could not read it', () => {
    expect(combinePhases([phase([1], { cpu: { relay: 10 } }), phase([2], { cpu: { relay: null } })]).cpu.relay).toBeNull();
  });
});

describe('rankSummary', () => {
  it('uses nearest ranks: with 20 samples p95 is the 19th', () => {
    const s = rankSummary(Array.from({ length: 20 }, (_, i) => (20 - i) * 100));
    expect(s).toEqual({ min: 100, median: 1000, p95: 1900, max: 2000 });
  });

  it('is NaN throughout without samples', () => {
    const s = rankSummary([]);
    expect([s.min, s.median, s.p95, s.max].every(Number.isNaN)).toBe(true);
  });
});

const member = (id: string, url: string, role: TeamMember['role']): TeamMember =>
  ({ id, url, role, since: '2026-12-01T00:00:00.000Z', lagSeq: 0, seenAt: '2026-12-01T00:00:00.000Z' });

const healthOf = (team: TeamHealth, connected = true): Health & { team: TeamHealth } => {
  const c = { state: connected ? 'connected' : 'connecting', latencyMs: null, lastError: null, since: '2026-12-01T00:00:00.000Z' } as const;
  return { status: 'ok', version: 'test', uptimeS: 1, components: { xapi: c, callcontrol: c, database: { ...c, state: 'unconfigured' } }, team };
};

const relay = (url: string) => ({ url }) as RelayChild;

describe('finding the leader from health', () => {
  const a = relay('http://127.0.0.1:4001');
  const b = relay('http://127.0.0.1:4002');
  const team: TeamHealth = {
    self: 'h:4002-bbbb', leader: 'h:4001-aaaa', upstreamConnections: 0,
    members: [member('h:4001-aaaa', 'http://127.0.0.1:4001', 'leader'), member('h:4002-bbbb', 'http://127.0.0.1:4002', 'follower')],
  };

  it('maps the leader id to the relay by its announced URL', () => {
    expect(leaderByHealth(healthOf(team), [a, b])).toBe(a);
  });

  it('falls back to the port when the host is spelled differently', () => {
    const named = { ...team, members: [member('h:4001-aaaa', 'http://relay-a.local:4001', 'leader'), team.members[1]!] };
    expect(leaderByHealth(healthOf(named), [a, b])).toBe(a);
  });

  it('names nobody during an election or when the leader is not one of ours', () => {
    expect(leaderByHealth(healthOf({ ...team, leader: null }), [a, b])).toBeUndefined();
    expect(leaderByHealth(healthOf(team), [b])).toBeUndefined();
  });

  it('a follower does not lead; a leader leads with upstreams only once they connected and it holds some', () => {
    expect(leadsItself(healthOf(team))).toBe(false);
    const self = { ...team, self: 'h:4001-aaaa', upstreamConnections: 2 };
    expect(leadsItself(healthOf(self))).toBe(true);
    expect(leadsWithUpstreams(healthOf(self))).toBe(true);
    expect(leadsWithUpstreams(healthOf(self, false))).toBe(false);
    // Mirrored components say connected on a follower: not proof of anything.
    expect(leadsWithUpstreams(healthOf({ ...self, upstreamConnections: 0 }))).toBe(false);
  });
});
