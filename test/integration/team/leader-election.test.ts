// The election on a real PostgreSQL: one leader among many, a lost lock
// session hands over within seconds, and a step-down waits for its listener.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { createLeaderElection, LOCK_APPLICATION_NAME, teamLockKey, type LeaderElection } from '../../../relay/team/leader-election.js';
import type { LeadershipChange } from '../../../relay/team/team-types.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';

let db: ScratchDatabase;
const elections: LeaderElection[] = [];

beforeEach(async () => {
  db = await createScratchDatabase('team_election');
});
afterEach(async () => {
  await Promise.all(elections.splice(0).map((e) => e.stop()));
  await db.drop();
});

function elect(key = teamLockKey({ url: 'https://pbx.example', clientId: 'relay' })): { election: LeaderElection; changes: string[] } {
  const election = createLeaderElection({ url: db.url, key, clock: systemClock, logger: silentLogger, lockRetryMs: 100, heartbeatMs: 200, heartbeatTimeoutMs: 500 });
  const changes: string[] = [];
  election.onChange((c) => void changes.push(c.role));
  elections.push(election);
  election.start();
  return { election, changes };
}

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

const leaders = (es: LeaderElection[]) => es.filter((e) => e.role === 'leader');

describe('leader election', () => {
  it('team keys depend on the PBX URL and client id only', () => {
    expect(teamLockKey({ url: 'https://pbx.example/', clientId: 'a' })).toEqual(teamLockKey({ url: 'https://PBX.example', clientId: 'a' }));
    expect(teamLockKey({ url: 'https://pbx.example', clientId: 'a' })).not.toEqual(teamLockKey({ url: 'https://pbx.example', clientId: 'b' }));
    expect(teamLockKey(null)).toEqual(teamLockKey(null));
    expect(teamLockKey(null)).not.toEqual(teamLockKey({ url: 'https://pbx.example', clientId: 'a' }));
  });

  it('elects exactly one leader among three, and every one learns its role', async () => {
    const all = [elect(), elect(), elect()];
    await until(() => all.every((a) => a.changes.length > 0), 5_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(leaders(all.map((a) => a.election))).toHaveLength(1);
    expect(all.map((a) => a.changes.length)).toEqual([1, 1, 1]);
  });

  it('two teams with different PBX settings each have their own leader', async () => {
    const a = elect(teamLockKey({ url: 'https://one.example', clientId: 'x' }));
    const b = elect(teamLockKey({ url: 'https://two.example', clientId: 'x' }));
    await until(() => a.election.role === 'leader' && b.election.role === 'leader', 5_000);
  });

  it('pg_terminate_backend of the leader\'s lock session: the other takes over within 5 s, the old one steps down', async () => {
    const a = elect();
    await until(() => a.election.role === 'leader', 5_000);
    const b = elect();
    await until(() => b.changes.length > 0, 5_000);
    expect(b.election.role).toBe('follower');
    await withClient(db.url, (c) => c.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database() and pid in (select pid from pg_locks where locktype = 'advisory' and granted)`, [LOCK_APPLICATION_NAME]));
    const took = await until(() => leaders([a.election, b.election]).length === 1 && a.changes.includes('follower'), 5_000);
    expect(took).toBeLessThan(5_000);
    // Whoever leads now, the old leader stepped down once.
    expect(a.changes.slice(0, 2)).toEqual(['leader', 'follower']);
  });

  it('stopping the leader (closing its lock connection) hands over within 5 s', async () => {
    const a = elect();
    await until(() => a.election.role === 'leader', 5_000);
    const b = elect();
    await until(() => b.changes.length > 0, 5_000);
    await a.election.stop();
    const took = await until(() => b.election.role === 'leader', 5_000);
    expect(took).toBeLessThan(5_000);
  });

  it('a step-down waits for the listener before trying for the lock again', async () => {
    const election = createLeaderElection({ url: db.url, key: teamLockKey(null), clock: systemClock, logger: silentLogger, lockRetryMs: 50, heartbeatMs: 100, heartbeatTimeoutMs: 300 });
    elections.push(election);
    const log: string[] = [];
    let release!: () => void;
    let held = false;
    election.onChange(async (c: LeadershipChange) => {
      log.push(`${c.role}:start`);
      if (c.role === 'follower' && !held) {
        held = true;
        await new Promise<void>((r) => { release = r; });
      }
      log.push(`${c.role}:end`);
    });
    election.start();
    await until(() => log.includes('leader:end'), 5_000);
    await withClient(db.url, (c) => c.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()`, [LOCK_APPLICATION_NAME]));
    await until(() => log.includes('follower:start'), 5_000);
    // Held in the listener: no new attempt may take the lock meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    expect(election.role).toBe('follower');
    expect(log).toEqual(['leader:start', 'leader:end', 'follower:start']);
    release();
    await until(() => election.role === 'leader', 5_000);
    expect(log).toEqual(['leader:start', 'leader:end', 'follower:start', 'follower:end', 'leader:start', 'leader:end']);
  });

  it('the fence refuses writes once the lock is lost', async () => {
    const a = elect();
    let fence: Extract<LeadershipChange, { role: 'leader' }>['fence'] | null = null;
    a.election.onChange((c) => { if (c.role === 'leader') fence = c.fence; });
    await until(() => fence !== null, 5_000);
    await expect(fence!.query('select 1 as one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await withClient(db.url, (c) => c.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()`, [LOCK_APPLICATION_NAME]));
    await until(() => a.changes.includes('follower'), 5_000);
    await expect(fence!.query('select 1')).rejects.toThrow(/lost/);
  });

  it('a graceful stop steps down while still holding the lock: no one else leads before the listener finished', async () => {
    const a = elect();
    let release!: () => void;
    a.election.onChange(async (c) => {
      if (c.role === 'follower') await new Promise<void>((r) => { release = r; });
    });
    await until(() => a.election.role === 'leader', 5_000);
    const b = elect();
    await until(() => b.changes.length > 0, 5_000);
    const stopping = a.election.stop();
    await until(() => a.changes.includes('follower'), 5_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(b.election.role).toBe('follower');
    release();
    await stopping;
    const took = await until(() => b.election.role === 'leader', 5_000);
    expect(took).toBeLessThan(5_000);
  });

  it('relinquish from inside the leader listener gives the lock back, and the relay tries again', async () => {
    const a = elect();
    let first = true;
    a.election.onChange((c) => {
      if (c.role === 'leader' && first) {
        first = false;
        a.election.relinquish();
      }
    });
    await until(() => a.changes.length >= 3, 5_000);
    expect(a.changes.slice(0, 3)).toEqual(['leader', 'follower', 'leader']);
  });
});
