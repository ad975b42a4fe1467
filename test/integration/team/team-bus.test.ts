// The team bus on a real PostgreSQL store: two relays' services (auth,
// alerts, WebSocket endpoint) on one database, each with its own TeamBus.
// A change made on one relay takes effect on the other at once, including
// the things the other keeps in memory (verified keys, open WebSockets,
// alert rules); a lost LISTEN connection comes back and drops what may have
// gone stale; a malformed message is ignored.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionIdOf, type SessionRevocation } from '../../../relay/auth/session-service.js';
import type { AlertFrame } from '../../../relay/contract/api-types.js';
import type { TeamBusMessage } from '../../../relay/team/team-bus-message.js';
import { storeNotify, TEAM_BUS_CHANNEL, TeamBus } from '../../../relay/team/team-bus.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { waitUntil } from '../../support/relay-harness.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { queue, ruleInput } from '../../unit/alerts/alert-fixtures.js';
import { bearer, connectOk } from '../ws/ws-harness.js';
import { startMember, type TeamMember } from './team-member-rig.js';

let db: ScratchDatabase;
let a: TeamMember;
let b: TeamMember;

beforeAll(async () => {
  db = await createScratchDatabase('team_bus');
  // One after the other: the first runs the store's migrations.
  a = await startMember('relay-a', db.url, { channel: TEAM_BUS_CHANNEL, probeIntervalMs: 500 });
  b = await startMember('relay-b', db.url, { channel: TEAM_BUS_CHANNEL, probeIntervalMs: 500 });
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
});

afterEach(async () => {
  await b.alerts.stop();
  b.snapshot = { ...b.snapshot, queues: [] };
});

/** Counts a member's events from now on. */
function record<T>(subscribe: (fn: (v: T) => void) => () => void): { seen: T[]; stop: () => void } {
  const seen: T[] = [];
  return { seen, stop: subscribe((v) => seen.push(v)) };
}
const keyRevocations = (m: TeamMember) => record<string>((fn) => {
  m.auth.apiKeys.on('revoked', fn);
  return () => m.auth.apiKeys.off('revoked', fn);
});
const sessionRevocations = (m: TeamMember) => record<SessionRevocation>((fn) => {
  m.auth.sessions.on('revoked', fn);
  return () => m.auth.sessions.off('revoked', fn);
});

/**
 * Resolves once `to` has heard a marker message sent by `from` after
 * everything before it: NOTIFYs reach a listener in commit order, so any
 * message (or echo) sent earlier has been handled by then.
 */
async function settled(from: TeamMember, to: TeamMember): Promise<void> {
  const marker = `marker-${Math.random().toString(36).slice(2)}`;
  const heard = new Promise<void>((resolve) => {
    const onMessage = (m: TeamBusMessage) => {
      if (m.type === 'sessions_revoked' && 'sessionId' in m && m.sessionId === marker) {
        to.bus.off('message', onMessage);
        resolve();
      }
    };
    to.bus.on('message', onMessage);
  });
  await from.bus.publish({ type: 'sessions_revoked', sessionId: marker });
  await heard;
}

describe('the team bus between two relays on one store', () => {
  it('revoking a key on one relay: the other forgets it, fires `revoked` and closes its WebSocket; nobody echoes', async () => {
    const key = await a.auth.apiKeys.create('crm', ['read'], 'test');
    // B verifies the key once: from now on it answers from its cache.
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).toMatchObject({ id: key.id });
    const client = await connectOk(b.wsUrl, { headers: bearer(key.apiKey) });
    const onA = keyRevocations(a);
    const onB = keyRevocations(b);

    await a.auth.apiKeys.revoke(key.id);
    expect((await client.closed).code).toBe(4001);
    expect(onB.seen).toEqual([key.id]);
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).toBeNull();

    await settled(b, a);
    await settled(a, b);
    expect(onA.seen).toEqual([key.id]);
    expect(onB.seen).toEqual([key.id]);
    onA.stop();
    onB.stop();
  });

  it('a logout and a password change on one relay close the sessions\' WebSockets on the other', async () => {
    await a.auth.users.create('alice', 'alice-password-1', 'admin');
    const alice = (await a.auth.users.get('alice'))!;
    const first = await a.auth.sessions.create(alice);
    const second = await a.auth.sessions.create(alice);
    const socketOf = (token: string) => {
      const { ticket } = b.tickets.issue({ kind: 'admin', username: 'alice', role: 'admin', sessionId: sessionIdOf(token) });
      return connectOk(`${b.wsUrl}?ticket=${ticket}`);
    };
    const one = await socketOf(first.token);
    const two = await socketOf(second.token);
    const onB = sessionRevocations(b);

    await a.auth.sessions.revoke(first.token);
    expect((await one.closed).code).toBe(4001);
    expect(onB.seen).toEqual([{ sessionId: sessionIdOf(first.token) }]);
    expect(two.ws.readyState).toBe(two.ws.OPEN);
    expect(await b.auth.sessions.authenticate(first.token)).toBeNull();
    expect(await b.auth.sessions.authenticate(second.token)).toMatchObject({ user: { username: 'alice' } });

    await a.auth.users.setPassword('alice', 'alice-password-2');
    expect((await two.closed).code).toBe(4001);
    expect(onB.seen).toEqual([{ sessionId: sessionIdOf(first.token) }, { username: 'alice' }]);
    expect(await b.auth.sessions.authenticate(second.token)).toBeNull();
    onB.stop();
  });

  it('an alert rule added on one relay is evaluated at once by the other\'s running engine', async () => {
    const frames: AlertFrame[] = [];
    const unsubscribe = b.hub.subscribe((f) => { if (f.type === 'alert') frames.push(f as AlertFrame); });
    b.alerts.start();
    await b.alerts.engine.evaluate();
    // B's engine has read the (empty) rule list and keeps it; only the bus tells it to read again.
    b.snapshot = { ...b.snapshot, queues: [queue(1, { callsWaiting: 7 })] };
    const rule = await a.alerts.service.createRule(ruleInput({ kind: 'calls_waiting', threshold: 5, name: 'Queue filling' }), 'alice');
    await waitUntil(() => frames.find((f) => f.data.rule === 'Queue filling' && f.data.state === 'fired'), 'the alert to fire on b', 5_000);
    unsubscribe();
    await a.alerts.service.deleteRule(rule.id);
  });

  it('an engine that is not running only forgets the rules: it does not evaluate (a follower fires nothing)', async () => {
    const frames: AlertFrame[] = [];
    const unsubscribe = b.hub.subscribe((f) => { if (f.type === 'alert') frames.push(f as AlertFrame); });
    b.snapshot = { ...b.snapshot, queues: [queue(1, { callsWaiting: 9 })] };
    const rule = await a.alerts.service.createRule(ruleInput({ kind: 'calls_waiting', threshold: 5, name: 'Idle engine' }), 'alice');
    await settled(a, b);
    expect(frames).toEqual([]);
    unsubscribe();
    await a.alerts.service.deleteRule(rule.id);
  });

  it('after its LISTEN connection is lost, a relay reconnects, drops what may have gone stale and closes the sockets of keys and sessions ended meanwhile', async () => {
    const key = await a.auth.apiKeys.create('wallboard', ['read'], 'test');
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).toMatchObject({ id: key.id });
    const client = await connectOk(b.wsUrl, { headers: bearer(key.apiKey) });
    await a.auth.users.create('bob', 'bob-password-1', 'viewer');
    const session = await a.auth.sessions.create((await a.auth.users.get('bob'))!);
    expect(await b.auth.sessions.authenticate(session.token)).toMatchObject({ user: { username: 'bob' } });
    const { ticket } = b.tickets.issue({ kind: 'admin', username: 'bob', role: 'viewer', sessionId: sessionIdOf(session.token) });
    const dashboard = await connectOk(`${b.wsUrl}?ticket=${ticket}`);
    const frames: AlertFrame[] = [];
    const unsubscribe = b.hub.subscribe((f) => { if (f.type === 'alert') frames.push(f as AlertFrame); });
    b.snapshot = { ...b.snapshot, queues: [queue(2, { callsWaiting: 4 })] };
    b.alerts.start();
    await b.alerts.engine.evaluate();

    // Changes B never hears of: written behind its back, as if their NOTIFYs
    // had gone out while it was not listening.
    await a.store.apiKeys.deactivate(key.id, new Date().toISOString());
    await a.store.sessions.delete(sessionIdOf(session.token));
    await a.store.alertRules.insert(ruleInput({ kind: 'calls_waiting', threshold: 3, name: 'Missed rule' }), 'alice', new Date().toISOString());
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).toMatchObject({ id: key.id }); // still cached: stale

    const resynced = new Promise<void>((resolve) => b.bus.once('resync', resolve));
    const killed = await withClient(db.url, async (c) => (await c.query(
      `select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1 and datname = current_database()`,
      ['3cx-relay-team-bus:relay-b'],
    )).rowCount);
    expect(killed).toBe(1);
    await resynced;
    expect(b.bus.listening).toBe(true);
    expect((await client.closed).code).toBe(4001);
    expect((await dashboard.closed).code).toBe(4001);
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).toBeNull();
    await waitUntil(() => frames.find((f) => f.data.rule === 'Missed rule' && f.data.state === 'fired'), 'the missed rule to fire on b', 5_000);
    expect(b.logs.some((r) => r.msg === 'team bus connection lost; reconnecting')).toBe(true);
    unsubscribe();

    // And the bus works again, both ways.
    const next = await b.auth.apiKeys.create('after', ['read'], 'test');
    expect(await a.auth.apiKeys.authenticate(next.apiKey)).not.toBeNull();
    const onA = keyRevocations(a);
    await b.auth.apiKeys.revoke(next.id);
    await waitUntil(() => onA.seen.length === 1, 'a to hear the revocation');
    expect(await a.auth.apiKeys.authenticate(next.apiKey)).toBeNull();
    onA.stop();
  });

  it('ignores malformed messages and its own, and keeps listening', async () => {
    const key = await a.auth.apiKeys.create('survivor', ['read'], 'test');
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).not.toBeNull();
    const onB = keyRevocations(b);
    const notify = (payload: string) => withClient(db.url, (c) => c.query('select pg_notify($1, $2)', [TEAM_BUS_CHANNEL, payload]));
    await notify('not json');
    await notify(JSON.stringify({ v: 1, from: 'relay-x', message: { type: 'api_key_revoked' } }));
    await notify(JSON.stringify({ v: 1, from: 'relay-x', message: { type: 'drop_everything', id: key.id } }));
    await notify(JSON.stringify({ v: 1, from: 'relay-x', message: { type: 'api_key_revoked', id: key.id, extra: 1 } }));
    // B's own member id: B skips it, so the key stays.
    await notify(JSON.stringify({ v: 1, from: 'relay-b', message: { type: 'api_key_revoked', id: key.id } }));
    await settled(a, b);
    expect(onB.seen).toEqual([]);
    expect(await b.auth.apiKeys.authenticate(key.apiKey)).not.toBeNull();
    const warnings = b.logs.filter((r) => typeof r.msg === 'string' && r.msg.startsWith('team bus: ignored'));
    expect(warnings.map((r) => r.msg)).toEqual([
      'team bus: ignored a message that is not JSON',
      'team bus: ignored a malformed message',
      'team bus: ignored a malformed message',
      'team bus: ignored a malformed message',
    ]);
    // A well-formed one from another member still works.
    await notify(JSON.stringify({ v: 1, from: 'relay-x', message: { type: 'api_key_revoked', id: key.id } }));
    await waitUntil(() => onB.seen.length === 1, 'b to apply the valid message');
    onB.stop();
  });
});

/**
 * A TCP relay in front of PostgreSQL whose existing connections can be made
 * to hang: nothing passes and nothing closes, as when a network path dies
 * without a reset. New connections pass as usual.
 */
async function freezableProxy(target: { host: string; port: number }): Promise<{ port: number; freeze(): void; close(): Promise<void> }> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  const frozen: net.Socket[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
        client.removeAllListeners('close');
        upstream.removeAllListeners('close');
        frozen.push(client, upstream);
      }
      pairs.clear();
    },
    async close() {
      server.close();
      for (const [client, upstream] of pairs) { client.destroy(); upstream.destroy(); }
      for (const socket of frozen) socket.destroy();
    },
  };
}

describe('a LISTEN connection that hangs without closing', () => {
  it('is caught by the probe and replaced; the bus then hears messages again', async () => {
    const url = new URL(db.url);
    const proxy = await freezableProxy({ host: url.hostname, port: Number(url.port) });
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const sink = memorySink();
    const bus = new TeamBus({
      url: url.toString(), memberId: 'relay-c', notify: storeNotify(a.store.db), probeIntervalMs: 200,
      backoff: { baseMs: 20, capMs: 100 }, logger: createLogger(sink, { level: 'debug' }),
    });
    try {
      await bus.start();
      const resynced = new Promise<void>((resolve) => bus.once('resync', resolve));
      proxy.freeze();
      await resynced;
      expect(sink.records.find((r) => r.msg === 'team bus connection lost; reconnecting')).toMatchObject({ error: expect.stringMatching(/no answer to a probe/) });
      const heard = new Promise<TeamBusMessage>((resolve) => bus.once('message', resolve));
      await a.bus.publish({ type: 'alert_rules_changed' });
      expect(await heard).toEqual({ type: 'alert_rules_changed' });
    } finally {
      await bus.stop();
      await proxy.close();
    }
  });
});
