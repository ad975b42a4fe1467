// A team of relays for the team benchmarks (contract §7): one PostgreSQL 15
// server holding the relays' own tables (`--store-url`), and relay child
// processes started exactly as `npm run relay` starts them, all with the same
// store and the same PBX settings, so they form one team. Who leads is read
// from the outside only, through `/relay/health` (its `team` block), as an
// operator or a monitoring tool would.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Health, TeamHealth } from '../../relay/contract/api-types.js';
import { startPostgres, type PgServer } from '../../test/support/postgres-server.js';
import { cpuSecondsOf } from './proc-stats.js';
import { waitFor } from './wait.js';
import { startRelayChild, type RelayChild } from './relay-process.js';
import type { SimChild } from './sim-process.js';

export const TEAM_DATABASE = 'relay_team';

export interface TeamStore {
  server: PgServer;
  /** postgres://… of the team's database, what every member gets as `--store-url`. */
  storeUrl: string;
  stop(): Promise<void>;
}

/** A fresh PostgreSQL 15 server with an empty database for the team's tables. */
export async function startTeamStore(): Promise<TeamStore> {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${TEAM_DATABASE}`);
    } finally {
      await admin.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { server, storeUrl: server.urlFor(TEAM_DATABASE), stop: () => server.stop() };
}

/** Everything a relay of the team holds in common with the others. */
export interface TeamSettings {
  entry: string;
  sim: SimChild;
  storeUrl: string;
  adminPassword: string;
}

export function startTeamRelay(s: TeamSettings): Promise<RelayChild> {
  return startRelayChild({
    entry: s.entry,
    pbx: { baseUrl: s.sim.url, clientId: s.sim.clientId, clientSecret: s.sim.clientSecret },
    adminPassword: s.adminPassword,
    extraArgs: ['--store-url', s.storeUrl],
  });
}

export class NoTeamError extends Error {}

/**
 * waitFor (wait.ts) for team probes, except that a relay without a team
 * block fails at once: no amount of waiting gives a build team mode.
 */
export function waitForTeam<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  return waitFor(what, probe, timeoutMs, everyMs, (err) => err instanceof NoTeamError);
}

/** One relay's health, with its `team` block required (a relay without one is not in a team). */
export async function teamHealth(relayUrl: string, timeoutMs = 2000): Promise<Health & { team: TeamHealth }> {
  const res = await fetch(`${relayUrl}/relay/health`, { signal: AbortSignal.timeout(timeoutMs) });
  const h = (await res.json()) as Health;
  if (!h.team) throw new NoTeamError(`${relayUrl}/relay/health has no team block: this relay build has no team mode (contract §7), or --store-url was not taken`);
  return h as Health & { team: TeamHealth };
}

/** This relay says it is the leader (its own id is the team's leader). */
export const leadsItself = (h: Health & { team: TeamHealth }): boolean => h.team.leader !== null && h.team.leader === h.team.self;

/**
 * The leader's upstreams are up: it leads, holds at least one 3CX connection,
 * and XAPI and Call Control say connected. A follower's components are the
 * leader's, mirrored, so they alone prove nothing about who connected.
 */
export const leadsWithUpstreams = (h: Health & { team: TeamHealth }): boolean =>
  leadsItself(h) && h.team.upstreamConnections > 0 && h.components.xapi.state === 'connected' && h.components.callcontrol.state === 'connected';

/** Which of `relays` (by URL) the team names as its leader, read from `from`'s health. */
export function leaderByHealth(h: Health & { team: TeamHealth }, relays: readonly RelayChild[]): RelayChild | undefined {
  const id = h.team.leader;
  if (id === null) return undefined;
  const byId = relays.find((r) => r.url === h.team.members.find((m) => m.id === id)?.url);
  if (byId) return byId;
  // A member may announce its URL with another spelling of the host (e.g. a
  // name instead of 127.0.0.1): match on the port as a fallback.
  const port = (u: string) => { try { return new URL(u).port; } catch { return ''; } };
  const announced = h.team.members.find((m) => m.id === id)?.url;
  return announced ? relays.find((r) => port(r.url) === port(announced)) : undefined;
}

/** PIDs of a process and its direct children (a PostgreSQL postmaster and its backends). */
function processTree(rootPid: number): number[] {
  const pids = [rootPid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === rootPid) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The postmaster's PID, from the first line of postmaster.pid in its data folder. */
export function postmasterPid(server: PgServer): number | null {
  try {
    return Number(readFileSync(path.join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

/**
 * CPU meter for the PostgreSQL server (postmaster + backends): `read()` gives
 * the CPU seconds used since the meter was made by the processes alive now
 * (a backend started meanwhile counts whole; one that ended meanwhile is
 * missed, but the relays' pooled and LISTEN connections outlive a phase).
 */
export function serverCpuMeter(server: PgServer): () => number | null {
  const snapshot = () => {
    const root = postmasterPid(server);
    const m = new Map<number, number>();
    if (root !== null) for (const pid of processTree(root)) m.set(pid, cpuSecondsOf(pid) ?? 0);
    return m;
  };
  const start = snapshot();
  return () => {
    const now = snapshot();
    if (now.size === 0) return null;
    let sum = 0;
    for (const [pid, s] of now) sum += s - (start.get(pid) ?? 0);
    return sum;
  };
}
