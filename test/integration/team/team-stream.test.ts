// The team stream on a real PostgreSQL: a leader and followers on one
// database, each with its own hub, as separate relays would be. The test
// holds the advisory lock on a plain connection and hands it over as the
// fence, as the election does.
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActiveCallsResponse, ErrorEntry } from '../../../relay/contract/api-types.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { EventHub, type HubFrame, type WireFrame } from '../../../relay/events/event-hub.js';
import { openStore } from '../../../relay/store/store.js';
import { createTeamStream, type TeamStreamHandle } from '../../../relay/team/team-stream.js';
import type { FencedConnection } from '../../../relay/team/team-types.js';
import { ManualClock } from '../../support/manual-clock.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';

const LOCK = 1_234_567;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function teamDatabase(): Promise<ScratchDatabase> {
  const db = await createScratchDatabase('team_stream');
  cleanups.push(() => db.drop());
  const store = await openStore({ url: db.url }, silentLogger);
  await store.close();
  return db;
}

interface Fence { conn: FencedConnection; client: pg.Client; pid: number }

async function takeLock(url: string): Promise<Fence> {
  const client = new pg.Client({ connectionString: url, application_name: 'test-fence' });
  client.on('error', () => {});
  await client.connect();
  cleanups.push(() => client.end());
  await client.query('select pg_advisory_lock($1)', [LOCK]);
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  return { client, pid: rows[0]!.pid, conn: { query: (text, values) => client.query(text, values) as never } };
}

function relay(url: string, opts: { onWriteFailed?: (e: unknown) => void; heartbeatMs?: number } = {}) {
  const hub = new EventHub();
  const got: WireFrame[] = [];
  hub.subscribe((_f, w) => got.push(w));
  const stream = createTeamStream({ url, hub, onWriteFailed: opts.onWriteFailed, random: () => 0.5, followerHeartbeatMs: opts.heartbeatMs });
  cleanups.push(() => stream.stop());
  return { hub, got, stream };
}

const sequenced = (got: WireFrame[]) => got.filter((w) => w.type !== 'error_logged');
const seqsOf = (got: WireFrame[]) => sequenced(got).map((w) => w.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function adminQuery(url: string, text: string, values: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

async function waitForSeq(stream: TeamStreamHandle, seq: number): Promise<void> {
  await vi.waitFor(() => expect(stream.latestSeq).toBe(seq), { timeout: 15_000, interval: 20 });
}

const entry: ErrorEntry = {
  id: 1, at: '2026-11-02T09:00:00.000Z', component: 'xapi', severity: 'error', message: 'boom', details: null,
  acknowledged: false, acknowledgedAt: null, acknowledgedBy: null, occurrences: 1, lastAt: '2026-11-02T09:00:00.000Z',
};

describe('team stream', () => {
  it('a follower delivers every frame with the leader\'s seq and bytes, in order, big frames by reference', async () => {
    const db = await teamDatabase();
    const f = relay(db.url);
    await f.stream.follow();
    const l = relay(db.url);
    const fence = await takeLock(db.url);
    const publisher = await l.stream.lead(fence.conn);

    const big = 'x'.repeat(9_000);
    for (let i = 1; i <= 300; i++) {
      publisher.publish({ type: 'call_event', data: i === 150 ? { i, big } : { i } });
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    // Components that hold the hub itself go through the team log too.
    l.hub.publish({ type: 'calls', value: [] });
    l.hub.publish({ type: 'error_logged', data: entry });
    await l.stream.drained();
    await waitForSeq(f.stream, 301);

    expect(seqsOf(l.got)).toEqual(range(1, 301));
    expect(seqsOf(f.got)).toEqual(range(1, 301));
    expect(sequenced(f.got).map((w) => w.bytes.toString())).toEqual(sequenced(l.got).map((w) => w.bytes.toString()));
    expect(sequenced(f.got)[149]!.bytes.length).toBeGreaterThan(9_000);
    await vi.waitFor(() => expect(f.got.filter((w) => w.type === 'error_logged')).toHaveLength(1));
    const r = f.hub.since(200);
    expect(r.kind === 'frames' && r.frames.map((w) => w.seq)).toEqual(range(201, 301));
    const { rows } = await adminQuery(db.url, 'select count(*)::int as n from team_frames');
    expect(rows[0].n).toBe(301); // error_logged frames take no row
  });

  it('a follower whose LISTEN connection is killed catches up with no gap', async () => {
    const db = await teamDatabase();
    const f = relay(db.url);
    await f.stream.follow();
    const l = relay(db.url);
    const publisher = await l.stream.lead((await takeLock(db.url)).conn);
    for (let i = 1; i <= 50; i++) publisher.publish({ type: 'call_event', data: i });
    await waitForSeq(f.stream, 50);

    const killed = await adminQuery(db.url, "select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = '3cx-relay-team-follower' and datname = $1", [db.name]);
    expect(killed.rowCount).toBe(1);
    for (let i = 51; i <= 120; i++) {
      publisher.publish({ type: 'call_event', data: i });
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await l.stream.drained();
    await waitForSeq(f.stream, 120);
    expect(seqsOf(f.got)).toEqual(range(1, 120));
    // And it keeps following on the new connection.
    publisher.publish({ type: 'call_event', data: 121 });
    await waitForSeq(f.stream, 121);
    expect(seqsOf(f.got)).toEqual(range(1, 121));
  });

  it('hand-over: B continues after A\'s last written seq; a frame A could not write is delivered nowhere', async () => {
    const db = await teamDatabase();
    const f = relay(db.url);
    await f.stream.follow();
    const failures: unknown[] = [];
    const a = relay(db.url, { onWriteFailed: (e) => failures.push(e) });
    const fenceA = await takeLock(db.url);
    const pubA = await a.stream.lead(fenceA.conn);
    for (let i = 1; i <= 40; i++) pubA.publish({ type: 'call_event', data: { from: 'A', i } });
    await a.stream.drained();
    await waitForSeq(f.stream, 40);

    // B has been following and waits for the lock.
    const b = relay(db.url);
    await b.stream.follow();
    await waitForSeq(b.stream, 40);
    const fenceBClient = new pg.Client({ connectionString: db.url });
    fenceBClient.on('error', () => {});
    await fenceBClient.connect();
    cleanups.push(() => fenceBClient.end());
    const lockB = fenceBClient.query('select pg_advisory_lock($1)', [LOCK]);

    // A's lock connection dies mid-stream: what it had not written is lost.
    await adminQuery(db.url, 'select pg_terminate_backend($1)', [fenceA.pid]);
    const lost = pubA.publish({ type: 'call_event', data: { from: 'A', lost: true } });
    await a.stream.drained();
    expect(failures).toHaveLength(1);
    expect(lost.seq).toBe(41);
    pubA.publish({ type: 'call_event', data: { from: 'A', refused: true } }); // the publisher refuses from now on
    await a.stream.drained();
    expect(failures).toHaveLength(1);

    await lockB;
    const pubB = await b.stream.lead({ query: (text, values) => fenceBClient.query(text, values) as never });
    const first = pubB.publish({ type: 'call_event', data: { from: 'B', i: 1 } });
    expect(first.seq).toBe(41); // A's newest written seq + 1: seq 41 of A's was never seen anywhere
    for (let i = 2; i <= 10; i++) pubB.publish({ type: 'call_event', data: { from: 'B', i } });
    await b.stream.drained();
    await waitForSeq(f.stream, 50);

    expect(seqsOf(f.got)).toEqual(range(1, 50));
    expect(seqsOf(b.got)).toEqual(range(1, 50));
    expect(seqsOf(a.got)).toEqual(range(1, 40));
    const everywhere = [...a.got, ...b.got, ...f.got].map((w) => w.bytes.toString());
    expect(everywhere.some((t) => t.includes('"lost":true') || t.includes('"refused":true'))).toBe(false);
    const { rows } = await adminQuery(db.url, "select count(*)::int as n, max(seq)::int as max from team_frames where frame like '%\"lost\":true%' or frame like '%\"from\":\"B\"%'");
    expect(rows[0]).toEqual({ n: 10, max: 50 });

    // A, back as a follower, picks up B's frames after its own.
    await a.stream.follow();
    await waitForSeq(a.stream, 50);
    expect(seqsOf(a.got)).toEqual(range(1, 50));
    expect(sequenced(a.got).map((w) => w.bytes.toString())).toEqual(sequenced(f.got).map((w) => w.bytes.toString()));
  });

  it('pruning keeps the newest frames (at least the replay capacity); a late follower starts from them', async () => {
    const db = await teamDatabase();
    const l = relay(db.url);
    const publisher = await l.stream.lead((await takeLock(db.url)).conn);
    for (let i = 1; i <= 10_250; i++) publisher.publish({ type: 'call_event', data: i });
    await l.stream.drained();
    expect(l.stream.latestSeq).toBe(10_250);
    expect(await l.stream.pruneNow()).toBe(250);
    const { rows } = await adminQuery(db.url, 'select count(*)::int as n, min(seq)::int as min from team_frames');
    expect(rows[0]).toEqual({ n: 10_000, min: 251 });

    const late = relay(db.url);
    await late.stream.follow();
    expect(late.stream.latestSeq).toBe(10_250);
    expect(late.hub.since(249).kind).toBe('resync_required');
    const r = late.hub.since(250);
    expect(r.kind === 'frames' && r.frames.length).toBe(10_000);
    expect(r.kind === 'frames' && JSON.parse(r.frames[0]!.bytes.toString()) as HubFrame).toMatchObject({ seq: 251, data: 251 });
  });

  it('the live state goes round: leader publishes, followers read it on notice and at start', async () => {
    const db = await teamDatabase();
    const f = relay(db.url);
    await f.stream.follow();
    expect(f.stream.mirrored('calls')).toBeNull();
    const l = relay(db.url);
    await l.stream.lead((await takeLock(db.url)).conn);
    const calls = (n: number): ActiveCallsResponse => ({ calls: [], source: 'xapi', stale: n % 2 === 0 } as unknown as ActiveCallsResponse);
    l.stream.publishState('calls', calls(1));
    l.stream.publishState('calls', calls(2));
    l.stream.publishState('calls', calls(3));
    await vi.waitFor(() => expect(f.stream.mirrored('calls')).toEqual(calls(3)), { timeout: 5_000 });
    expect(l.stream.mirrored('calls')).toEqual(calls(3));
    await l.stream.drained();
    const late = relay(db.url);
    await late.stream.follow();
    expect(late.stream.mirrored('calls')).toEqual(calls(3));
    expect(late.stream.mirrored('supervisor')).toBeNull();
  });

  it('graceful hand-over writes what A had queued; a new leader first catches its hub up from the log', async () => {
    const db = await teamDatabase();
    const a = relay(db.url);
    const fenceA = await takeLock(db.url);
    const pubA = await a.stream.lead(fenceA.conn);
    for (let i = 1; i <= 30; i++) pubA.publish({ type: 'call_event', data: i });
    // Stepping down with frames still queued: they are written, then delivered.
    await a.stream.follow();
    expect(seqsOf(a.got)).toEqual(range(1, 30));
    // A follower's own sequenced frames go nowhere (they would collide with the leader's seqs); its error notices stay local.
    expect(a.hub.publish({ type: 'call_event', data: 'mine' }).seq).toBe(30);
    a.hub.publish({ type: 'error_logged', data: entry });
    expect(seqsOf(a.got)).toEqual(range(1, 30));
    expect(a.got.at(-1)!.type).toBe('error_logged');
    await fenceA.client.query('select pg_advisory_unlock($1)', [LOCK]);

    // C never followed: it reads frames 1..30 into its hub before it writes 31.
    const c = relay(db.url);
    const pubC = await c.stream.lead((await takeLock(db.url)).conn);
    expect(seqsOf(c.got)).toEqual(range(1, 30));
    expect(pubC.publish({ type: 'call_event', data: 31 }).seq).toBe(31);
    await c.stream.drained();
    await waitForSeq(a.stream, 31);
    expect(sequenced(a.got).map((w) => w.bytes.toString())).toEqual(sequenced(c.got).map((w) => w.bytes.toString()));
  });

  it('the heartbeat catches up a frame no notice announced', async () => {
    const db = await teamDatabase();
    const f = relay(db.url, { heartbeatMs: 100 });
    await f.stream.follow();
    const l = relay(db.url);
    const publisher = await l.stream.lead((await takeLock(db.url)).conn);
    publisher.publish({ type: 'call_event', data: 1 });
    await waitForSeq(f.stream, 1);
    // Written as the leader would, but without its NOTIFY (as if lost on the way).
    const text = JSON.stringify({ type: 'call_event', data: 2, seq: 2, at: '2026-11-02T09:00:00.000Z' });
    await adminQuery(db.url, "insert into team_frames (seq, type, frame, at) values (2, 'call_event', $1, '2026-11-02T09:00:00.000Z')", [text]);
    await waitForSeq(f.stream, 2);
    expect(f.got.at(-1)!.bytes.toString()).toBe(text);
  });

  it('a follower that cannot reach the store at first keeps retrying, and stops cleanly', async () => {
    const hub = new EventHub();
    const stream = createTeamStream({ url: 'postgres://nobody@127.0.0.1:1/none', hub, random: () => 0 });
    await stream.follow();
    expect(stream.role).toBe('follower');
    expect(stream.latestSeq).toBe(0);
    await stream.stop();
    await stream.stop();
    expect(stream.role).toBe('stopped');
    // Stopped: the hub stamps its own frames again.
    expect(hub.publish({ type: 'call_event', data: 1 }).seq).toBe(1);
  });

  it('the leader prunes on its own, every pruneEveryMs', async () => {
    const db = await teamDatabase();
    const clock = new ManualClock();
    const hub = new EventHub({ clock });
    const stream = createTeamStream({ url: db.url, hub, clock, pruneEveryMs: 30_000 });
    cleanups.push(() => stream.stop());
    const publisher = await stream.lead((await takeLock(db.url)).conn);
    for (let i = 1; i <= 10_040; i++) publisher.publish({ type: 'call_event', data: i });
    await stream.drained();
    const count = async () => (await adminQuery(db.url, 'select count(*)::int as n from team_frames')).rows[0].n as number;
    clock.advance(29_999);
    await new Promise((r) => setTimeout(r, 100));
    expect(await count()).toBe(10_040);
    clock.advance(1);
    await vi.waitFor(async () => expect(await count()).toBe(10_000), { timeout: 5_000 });
    for (let i = 1; i <= 5; i++) publisher.publish({ type: 'call_event', data: i });
    await stream.drained();
    clock.advance(30_000);
    await vi.waitFor(async () => expect(await count()).toBe(10_000), { timeout: 5_000 });
  });
});
