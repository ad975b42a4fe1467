// A follower's read that never comes back (the connection went half-open
// while a query was on the way: no error, no close, for many minutes) must
// not leave its mirror frozen: the heartbeat skips a connection with a read
// under way, so a read stuck for good has to count as a lost connection.
import net from 'node:net';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub } from '../../../relay/events/event-hub.js';
import { openStore } from '../../../relay/store/store.js';
import { createTeamStream } from '../../../relay/team/team-stream.js';
import { createScratchDatabase } from '../../support/test-postgres.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/**
 * A TCP relay to PostgreSQL that, once armed, swallows the first client
 * message containing `trigger` and from then on passes nothing either way on
 * that connection, without closing it: a half-open path, as seen by the client.
 */
async function freezingProxy(target: URL): Promise<{ url: string; arm(trigger: string): void; frozen(): number }> {
  let trigger: string | null = null;
  let frozen = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let dead = false;
    client.on('data', (chunk: Buffer) => {
      if (dead) return;
      if (trigger && chunk.includes(trigger)) {
        trigger = null;
        dead = true;
        frozen++;
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => { if (!dead) client.write(chunk); });
    const end = () => { if (!dead) { client.destroy(); upstream.destroy(); } };
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
  return { url: url.href, arm: (t) => { trigger = t; }, frozen: () => frozen };
}

it('a follower whose read hangs reconnects and mirrors on', async () => {
  const db = await createScratchDatabase('team_stuck');
  cleanups.push(() => db.drop());
  await (await openStore({ url: db.url }, silentLogger)).close();
  const proxy = await freezingProxy(new URL(db.url));

  const fHub = new EventHub();
  const follower = createTeamStream({ url: proxy.url, hub: fHub, random: () => 0, followerHeartbeatMs: 200 });
  cleanups.push(() => follower.stop());
  await follower.follow();

  const lockClient = new pg.Client({ connectionString: db.url });
  await lockClient.connect();
  cleanups.push(() => lockClient.end());
  await lockClient.query('select pg_advisory_lock(7)');
  const leader = createTeamStream({ url: db.url, hub: new EventHub() });
  cleanups.push(() => leader.stop());
  const publisher = await leader.lead({ query: (text, values) => lockClient.query(text, values) as never });

  publisher.publish({ type: 'call_event', data: 1 });
  await leader.drained();
  const until = (seq: number, ms: number) => new Promise<boolean>((resolve) => {
    const started = Date.now();
    const t = setInterval(() => {
      if (fHub.latestSeq >= seq || Date.now() - started > ms) { clearInterval(t); resolve(fHub.latestSeq >= seq); }
    }, 20);
  });
  expect(await until(1, 5_000)).toBe(true);

  // Too big for NOTIFY: the follower reads it from the table, and that read hangs.
  proxy.arm('from team_frames where seq >');
  publisher.publish({ type: 'call_event', data: 'x'.repeat(9_000) });
  await leader.drained();
  expect(await until(2, 5_000)).toBe(true);
  expect(proxy.frozen()).toBe(1);
});
