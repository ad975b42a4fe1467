// A relay must stop within 5 s (contract §1), also when the store stopped
// answering. A follower dials the store for its mirror; a server that
// accepts the connection and then says nothing (an overloaded host, a
// middlebox, a SYN that is never answered) must not hold the stop up: the
// follower's connection has no other way out, and the election waits for
// the follower's start before it can step down for good.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import { openStore } from '../../../relay/store/store.js';
import { teamLockKey } from '../../../relay/team/leader-election.js';
import { createTeamMode, type UpstreamSide } from '../../../relay/team/team-mode.js';
import { createTeamStream } from '../../../relay/team/team-stream.js';
import { createScratchDatabase } from '../../support/test-postgres.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** A TCP server that takes connections and never answers; counts the ones still open. */
async function silentServer(): Promise<{ url: string; open(): number }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.resume(); // reads (and ignores) what comes, so it sees the other end close
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `postgres://relay@127.0.0.1:${(server.address() as AddressInfo).port}/relay`, open: () => sockets.size };
}

/** Resolves to how long `work` took, or rejects when it takes longer than `ms`. */
async function timed(work: Promise<unknown>, ms: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`still not done after ${ms} ms`)), ms); })]);
  clearTimeout(timer);
  return Date.now() - started;
}

const waitFor = async (what: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!what()) {
    if (Date.now() > until) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('stopping while the store does not answer', () => {
  it('a follower still dialing a silent store stops at once and leaves no connection behind', async () => {
    const silent = await silentServer();
    const stream = createTeamStream({ url: silent.url, hub: new EventHub(), random: () => 0 });
    cleanups.push(() => stream.stop());
    const following = stream.follow();
    await waitFor(() => silent.open() === 1);
    expect(await timed(stream.stop(), 2_000)).toBeLessThan(2_000);
    await timed(following, 1_000);
    await waitFor(() => silent.open() === 0, 1_000);
  });

  it('a team member that follows (the mirror dialing a silent store) stops within the budget', async () => {
    const db = await createScratchDatabase('team_stop');
    cleanups.push(() => db.drop());
    const store = await openStore({ url: db.url }, silentLogger);
    cleanups.push(() => store.close());
    // Another member holds the team's lock: this one follows.
    const [k1, k2] = teamLockKey(null);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('select pg_advisory_lock($1, $2)', [k1, k2]);

    const silent = await silentServer();
    const hub = new EventHub();
    const stream = createTeamStream({ url: silent.url, hub, random: () => 0 });
    cleanups.push(() => stream.stop());
    // A follower never builds 3CX clients: this side must never be started.
    let started = 0;
    const upstream: UpstreamSide = {
      start: async () => void started++,
      stop: async () => undefined,
      connections: () => 0,
      state: () => ({ calls: async () => ({ calls: [], source: 'xapi', fetchedAt: '' }) as never, health: () => { throw new Error('not a leader'); }, supervisor: () => { throw new Error('not a leader'); } }),
    };
    const team = createTeamMode({ storeUrl: db.url, db: store.db as never, pbx: null, stream, frames: hub, upstream, clock: systemClock, logger: silentLogger });
    team.start({ url: 'http://127.0.0.1:1', port: 1 });
    await waitFor(() => silent.open() === 1);
    expect(team.election.role).toBe('follower');
    expect(await timed(team.stop(), 4_000)).toBeLessThan(4_000);
    expect(started).toBe(0);
    await waitFor(() => silent.open() === 0, 1_000);
  });
});
