// The election's change listener must not wait on the store's pool. The
// member heartbeat writes through the pool, which has no deadline: when the
// path to the database goes silent just as this relay takes the lead, a
// listener waiting for that write never returns, the lock heartbeat never
// starts, and the relay keeps its 3CX connections long after the server
// has ended its lock session and another relay has taken over.
import net from 'node:net';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import { openStore } from '../../../relay/store/store.js';
import { LOCK_APPLICATION_NAME, teamLockKey } from '../../../relay/team/leader-election.js';
import { createTeamMode, type UpstreamSide } from '../../../relay/team/team-mode.js';
import { createTeamStream } from '../../../relay/team/team-stream.js';
import { createScratchDatabase, withClient } from '../../support/test-postgres.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** A TCP relay to PostgreSQL that can go silent (nothing passes, nothing closes). */
async function silenceableProxy(target: URL): Promise<{ url: string; silence(): void }> {
  let silent = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (c: Buffer) => { if (!silent) upstream.write(c); });
    upstream.on('data', (c: Buffer) => { if (!silent) client.write(c); });
    const end = () => { if (!silent) { client.destroy(); upstream.destroy(); } };
    client.on('close', end).on('error', () => {});
    upstream.on('close', end).on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const url = new URL(target.href);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return { url: url.href, silence: () => { silent = true; } };
}

const until = async (what: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return what();
};

it('a relay whose pool goes silent as it takes the lead still steps down when its lock session ends', async () => {
  const db = await createScratchDatabase('team_stall');
  cleanups.push(() => db.drop());
  const proxy = await silenceableProxy(new URL(db.url));
  const store = await openStore({ url: proxy.url }, silentLogger);
  // Closing a pool whose path is silent would wait on it: let it go.
  cleanups.push(() => Promise.race([store.close(), new Promise((r) => setTimeout(r, 500))]));

  const [k1, k2] = teamLockKey(null);
  const holder = new pg.Client({ connectionString: db.url });
  holder.on('error', () => {});
  await holder.connect();
  cleanups.push(() => holder.end());
  await holder.query('select pg_advisory_lock($1, $2)', [k1, k2]);

  const hub = new EventHub();
  const stream = createTeamStream({ url: db.url, hub, random: () => 0 });
  let holding = 0;
  const upstream: UpstreamSide = {
    start: async () => { holding = 1; },
    stop: async () => { holding = 0; },
    connections: () => holding,
    state: () => ({ calls: async () => { throw new Error('no calls'); }, health: () => { throw new Error('no health'); }, supervisor: () => { throw new Error('no figures'); } }),
  };
  const team = createTeamMode({
    storeUrl: db.url, db: store.db as never, pbx: null, stream, frames: hub, upstream, clock: systemClock, logger: silentLogger,
    election: { lockRetryMs: 100, heartbeatMs: 200, heartbeatTimeoutMs: 300 },
  });
  cleanups.push(() => Promise.race([team.stop(), new Promise((r) => setTimeout(r, 2_000))]));
  team.start({ url: 'http://127.0.0.1:1', port: 1 });
  expect(await until(() => team.election.role === 'follower' && team.memberId() !== null, 5_000)).toBe(true);
  await new Promise((r) => setTimeout(r, 300));

  // The store's pool goes silent; then the lock comes free and this relay takes it.
  proxy.silence();
  await holder.query('select pg_advisory_unlock($1, $2)', [k1, k2]);
  expect(await until(() => holding === 1, 5_000)).toBe(true);
  await new Promise((r) => setTimeout(r, 300));
  // Its lock session ends (as the server does once it stops hearing a cut-off relay).
  await withClient(db.url, (c) => c.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()', [LOCK_APPLICATION_NAME]));
  expect(await until(() => holding === 0, 3_000)).toBe(true);
});
