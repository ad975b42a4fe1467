// Team mode lives on a shared PostgreSQL reached over a network: a store
// connection can end while a query is on it (a server restart, a reset
// path). pg then emits 'error' on that client, and a client checked out of
// the pool (as Kysely holds it for each query) has no listener of pg-pool's:
// unhandled, the event would crash the relay. The query must fail; the
// process must not.
import net from 'node:net';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { openStore } from '../../../relay/store/store.js';
import { createScratchDatabase } from '../../support/test-postgres.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

it('a store query whose connection is cut fails, and nothing else happens', async () => {
  const db = await createScratchDatabase('store_cut');
  cleanups.push(() => db.drop());
  const target = new URL(db.url);
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).on('error', () => {});
    upstream.pipe(client).on('error', () => {});
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => proxy.close(resolve)));
  const url = new URL(db.url);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as net.AddressInfo).port);
  const store = await openStore({ url: url.href }, silentLogger);
  cleanups.push(() => store.close());

  const slow = sql`select pg_sleep(5)`.execute(store.db);
  await new Promise((r) => setTimeout(r, 300));
  for (const s of sockets) s.destroy();
  await expect(slow).rejects.toThrow(/terminated/i);
  // The pool serves the next query on a fresh connection.
  await new Promise((r) => setTimeout(r, 100));
});
