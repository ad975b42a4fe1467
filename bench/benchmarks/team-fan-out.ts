// Benchmark "team-fan-out" (issue 14): event fan-out through a team's
// follower beside the same through its leader, in one run. A team is two
// relays on one PostgreSQL 15 store (`--store-url`) and the simulator; the
// leader holds the 3CX connections and logs every frame in the store, the
// follower mirrors that log (same `seq`) and serves its own WebSocket
// clients. The same N clients are measured once on the leader and once on
// the follower, with benchmark 2's method (simulator send -> client handler,
// CLOCK_MONOTONIC) at benchmark 2's rate.
//
// Baseline: one relay on the embedded store (no team), i.e. benchmark 2's
// subject, measured first in the same run with the same clients and rate.
// Ratios say what being in a team costs (leader / single) and what the
// mirror hop adds (follower / leader). No timed assertion: latency has no
// target here, only loss and order do.
import { AdminClient } from '../support/admin-client.js';
import type { BenchResult } from '../support/bench-result.js';
import { target } from '../support/bench-result.js';
import { RunScope, type Benchmark } from '../support/benchmark.js';
import { combinePhases, cpuOfPid, measureFanOutPhase, type FanOutPhase } from '../support/fan-out-phase.js';
import { startRelayChild, type RelayChild } from '../support/relay-process.js';
import { startSimChild } from '../support/sim-process.js';
import { leadsItself, leadsWithUpstreams, serverCpuMeter, startTeamRelay, startTeamStore, teamHealth, waitForTeam } from '../support/team-relays.js';
import { waitForComponent } from '../support/wait.js';

// Same defaults as benchmark 2, overridable like it.
const CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 200);
const EVENTS_PER_S = Number(process.env.BENCH_FANOUT_EVENTS_PER_S ?? 1000);
const CONCURRENT_CALLS = 20;
// Three measured phases must fit well under 3 minutes together.
const DURATION_S = Number(process.env.BENCH_TEAM_DURATION_S ?? 20);
const ADMIN_PASSWORD = 'bench-team-admin-password-1';

const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? a / b : null);
const round2 = (v: number) => Math.round(v * 100) / 100;

export const teamFanOutBenchmark: Benchmark = {
  name: 'team-fan-out',
  title: `Team fan-out: ${EVENTS_PER_S} call events/s to ${CLIENTS} clients on a team's follower vs its leader`,
  estimatedS: 110,
  async run(ctx): Promise<BenchResult> {
    const scope = new RunScope();
    const durationS = ctx.quick ? 5 : DURATION_S;
    const warmUpS = ctx.quick ? 1 : 3;
    try {
      const sim = scope.own(await startSimChild());
      const phaseOptions = (relayUrl: string, apiKey: string, cpuOf: Record<string, () => number | null>) =>
        ({ relayUrl, apiKey, sim, clients: CLIENTS, eventsPerS: EVENTS_PER_S, concurrentCalls: CONCURRENT_CALLS, warmUpS, durationS, cpuOf });

      // Baseline first: one relay, embedded store, no team.
      ctx.log(`baseline: single relay (embedded store), ${CLIENTS} clients, ${durationS} s`);
      const single = scope.own(await startRelayChild({ entry: ctx.relayEntry, pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } }));
      await waitForComponent(single.url, 'callcontrol', 'connected');
      const singleKey = (await (await AdminClient.login(single.url, single.adminPassword)).createKey('bench-team-fan-out', ['read'])).apiKey;
      const base = await measureFanOutPhase(phaseOptions(single.url, singleKey, { relay: cpuOfPid(single.pid) }));
      await scope.release(single);

      // The team: the first relay up takes the lock, the second follows.
      const store = scope.own(await startTeamStore());
      const settings = { entry: ctx.relayEntry, sim, storeUrl: store.storeUrl, adminPassword: ADMIN_PASSWORD };
      const first = scope.own(await startTeamRelay(settings));
      await waitForTeam('the first team relay to lead with its upstreams connected', async () => leadsWithUpstreams(await teamHealth(first.url)), 30_000);
      const second = scope.own(await startTeamRelay(settings));
      // Keys live in the shared store: one key serves both members.
      const apiKey = (await (await AdminClient.login(first.url, ADMIN_PASSWORD)).createKey('bench-team-fan-out', ['read'])).apiKey;
      // Who leads is read before every segment: a leader that misses its lock
      // heartbeat on a saturated machine steps down, and the other takes over.
      let leaderChanges = 0;
      let lastLeader: RelayChild | null = null;
      const roles = async () => {
        const led = await waitForTeam('one team relay to lead with its upstreams and the other to follow it', async () => {
          const [a, b] = await Promise.all([teamHealth(first.url), teamHealth(second.url)]);
          if (leadsWithUpstreams(a) && !leadsItself(b) && b.team.leader === a.team.self) return { leader: first, follower: second };
          if (leadsWithUpstreams(b) && !leadsItself(a) && a.team.leader === b.team.self) return { leader: second, follower: first };
          return undefined;
        }, 30_000);
        if (lastLeader && lastLeader !== led.leader) leaderChanges += 1;
        lastLeader = led.leader;
        return led;
      };
      const postgresCpu = serverCpuMeter(store.server);

      // Leader and follower in ABBA order, each segment half the time: on a
      // shared machine the load drifts during a run, and a drift that favours
      // whichever is measured second cancels out of the ratio.
      const order = ctx.quick ? ['leader', 'follower'] as const : ['leader', 'follower', 'follower', 'leader'] as const;
      const segmentS = ctx.quick ? durationS : durationS / 2;
      const segments = { leader: [] as FanOutPhase[], follower: [] as FanOutPhase[] };
      for (const who of order) {
        ctx.log(`team: ${CLIENTS} clients on the ${who}, ${segmentS} s`);
        const now = await roles();
        const cpuOf = { leader: cpuOfPid(now.leader.pid), follower: cpuOfPid(now.follower.pid), postgres: postgresCpu };
        segments[who].push(await measureFanOutPhase({ ...phaseOptions(now[who].url, apiKey, cpuOf), durationS: segmentS }));
      }
      const onLeader = combinePhases(segments.leader);
      const onFollower = combinePhases(segments.follower);
      const end = await roles();
      const h = await teamHealth(end.leader.url);
      const followerLag = h.team.members.find((m) => m.id !== h.team.self)?.lagSeq ?? null;

      const figs = (p: FanOutPhase, prefix: string) => ({
        [`${prefix}LatencyP50Ms`]: round2(p.p50Ms),
        [`${prefix}LatencyP99Ms`]: round2(p.p99Ms),
        [`${prefix}LatencyMaxMs`]: round2(p.maxMs),
        [`${prefix}Lost`]: p.lost,
        [`${prefix}SeqGaps`]: p.seqGaps,
        [`${prefix}OutOfOrder`]: p.outOfOrder,
        [`${prefix}Duplicates`]: p.duplicates,
        [`${prefix}Closed1013`]: p.closed1013,
        [`${prefix}EventsEmitted`]: p.emitted,
      });
      const cpus = (p: FanOutPhase, prefix: string) =>
        Object.fromEntries(Object.entries(p.cpu).map(([k, v]) => [`${prefix}Cpu${k[0]!.toUpperCase()}${k.slice(1)}PercentOfCore`, v]));
      return {
        name: 'team-fan-out',
        title: this.title,
        startedAt: scope.startedAt,
        durationS: scope.elapsedS(),
        figures: {
          clients: CLIENTS,
          eventsPerS: EVENTS_PER_S,
          measuredS: durationS,
          ...figs(onFollower, 'follower'),
          ...figs(onLeader, 'leader'),
          ...cpus(onFollower, 'followerPhase'),
          ...cpus(onLeader, 'leaderPhase'),
          followerLagSeqAtEnd: followerLag,
          leaderChanges,
        },
        baseline: {
          description: `one relay on the embedded store (no team), same ${CLIENTS} clients and rate, measured first in this run`,
          figures: { ...figs(base, 'single'), ...cpus(base, 'single') },
        },
        ratios: {
          followerVsLeaderP50: ratio(onFollower.p50Ms, onLeader.p50Ms),
          followerVsLeaderP99: ratio(onFollower.p99Ms, onLeader.p99Ms),
          leaderVsSingleP50: ratio(onLeader.p50Ms, base.p50Ms),
          leaderVsSingleP99: ratio(onLeader.p99Ms, base.p99Ms),
          followerVsSingleP50: ratio(onFollower.p50Ms, base.p50Ms),
          followerVsSingleP99: ratio(onFollower.p99Ms, base.p99Ms),
        },
        targets: [
          target('0 frames lost through the follower (events + seq gaps)', onFollower.lost + onFollower.seqGaps, (v) => v === 0),
          target('0 out of order through the follower', onFollower.outOfOrder, (v) => v === 0),
          target('0 frames lost through the leader (events + seq gaps)', onLeader.lost + onLeader.seqGaps, (v) => v === 0),
          target('0 out of order through the leader', onLeader.outOfOrder, (v) => v === 0),
        ],
        notes: [
          'two team relays, PostgreSQL 15 (fsync off, as in the tests), simulator and clients all on this machine; latency on CLOCK_MONOTONIC (process.hrtime)',
          `the single relay is measured for ${durationS} s; leader and follower for ${durationS} s each, in segments ordered ${order.join(', ')} (clients reconnected per segment); every segment warmed up for ${warmUpS} s at the same rate first; the member without clients keeps mirroring meanwhile`,
          'the leader delivers a frame to its own clients only once it is in the team log (written through the lock connection); a follower delivers it once PostgreSQL notified it of that write: leader / single = the log write, follower / leader = the NOTIFY hop',
          'lost = emitted by the simulator but not received by a client 1.5 s after the simulator stopped; seq gaps = the relay seq skipped a number',
          'PostgreSQL CPU is the postmaster and its backends alive at both ends of the phase',
        ],
      };
    } finally {
      await scope.close();
    }
  },
};
