// Issue 14's acceptance: three relay processes on one PostgreSQL database and
// one simulator process. At no moment do two relays hold 3CX connections (the
// simulator's open Call Control sockets and each relay's own count, sampled
// every ~200 ms); kill -9 of the leader → a new leader within 5 s; a
// WebSocket client that reconnects to a surviving member with `?since=` gets
// every frame after its last seq in order; REST stays 200 and well-formed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { Health } from '../../../relay/contract/api-types.js';
import { activeCalls as activeCallsResponse, health as healthSchema } from '../../../relay/contract/response-schemas.js';
import { spawnProcess, tsxArgs, type SpawnedProcess } from '../../support/child-process.js';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';

const ADMIN_PASSWORD = 'team-admin-password-1';

interface Sim { proc: SpawnedProcess; url: string; clientId: string; clientSecret: string }
interface Member { p: RelayProcess; url: string; alive: boolean }

let db: ScratchDatabase;
let sim: Sim;
const members: Member[] = [];

async function startSim(): Promise<Sim> {
  const clientId = 'team-relay';
  const clientSecret = 'team-simulator-secret';
  const proc = spawnProcess({
    args: tsxArgs('relay/sim/cli.ts', ['--port', '0', '--rate', '240', '--monitor', 'all', '--seed', '14', '--client-id', clientId, '--client-secret', clientSecret]),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
  });
  const url = (await proc.line(/^3CX simulator listening on (http:\/\/\S+)$/, 30_000))[1]!;
  return { proc, url, clientId, clientSecret };
}

function startMember(): RelayProcess {
  return spawnRelay(
    ['--port', '0', '--store-url', db.url, '--pbx-url', sim.url, '--client-id', sim.clientId, '--log-level', 'info'],
    { RELAY_PBX_CLIENT_SECRET: sim.clientSecret, RELAY_ADMIN_PASSWORD: ADMIN_PASSWORD },
  );
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
  const r = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
  return { status: r.status, body: (await r.json()) as T };
}

const health = async (m: Member) => (await getJson<Health>(`${m.url}/relay/health`)).body;
const alive = () => members.filter((m) => m.alive);

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The member that is leader by every survivor's account, holding its upstreams. */
async function agreedLeader(): Promise<Member | null> {
  const hs = await Promise.all(alive().map(health));
  const leaderId = hs[0]?.team?.leader;
  if (!leaderId || !hs.every((h) => h.team?.leader === leaderId)) return null;
  const i = hs.findIndex((h) => h.team?.self === leaderId);
  if (i < 0 || (hs[i]!.team!.upstreamConnections ?? 0) < 2) return null;
  return alive()[i]!;
}

interface Recorder { ws: WebSocket; seqs: number[]; resync: boolean; opened: Promise<void>; closed: Promise<void> }

function record(m: Member, key: string, since?: number): Recorder {
  const ws = new WebSocket(`${m.url.replace('http', 'ws')}/relay/ws${since !== undefined ? `?since=${since}` : ''}`, { headers: { 'x-api-key': key } });
  const rec: Recorder = {
    ws, seqs: [], resync: false,
    opened: new Promise((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); }),
    closed: new Promise((resolve) => ws.once('close', () => resolve())),
  };
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as { type: string; seq?: number };
    if (f.type === 'resync_required') rec.resync = true;
    else if (f.type !== 'hello' && f.type !== 'error_logged' && typeof f.seq === 'number') rec.seqs.push(f.seq);
  });
  return rec;
}

beforeAll(async () => {
  db = await createScratchDatabase('team_three');
  sim = await startSim();
  // The first one alone: it bootstraps the admin user the others then find.
  const first = startMember();
  members.push({ p: first, url: await first.listening, alive: true });
  for (const p of [startMember(), startMember()]) members.push({ p, url: await p.listening, alive: true });
}, 60_000);

afterAll(async () => {
  for (const m of members) if (m.alive) m.p.child.kill('SIGTERM');
  await Promise.all(members.map((m) => m.p.exited));
  await sim?.proc.stop();
  await db?.drop();
});

describe('a team of three relays', () => {
  it('one token holder at any moment; kill -9 of the leader → a new one within 5 s; ?since= on another member loses nothing', async () => {
    const leader = await until('a leader all members agree on', agreedLeader, 20_000);
    const followers = alive().filter((m) => m !== leader);
    // Each member's list fills as the others' first heartbeats land.
    const h0 = await until('all three members listed', async () => {
      const h = await health(followers[0]!);
      return h.team!.members.length === 3 ? h : null;
    }, 5_000);
    expect(healthSchema.safeParse(h0).success).toBe(true);
    expect(h0.team!.upstreamConnections).toBe(0);

    // An API key, created on a follower (the store is shared).
    const login = await fetch(`${followers[0]!.url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const created = await fetch(`${followers[0]!.url}/admin/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ clientName: 'team-test', permissions: ['read'] }) });
    expect(created.status).toBe(201);
    const { apiKey, id: keyId } = (await created.json()) as { apiKey: string; id: string };

    // The sampler: token holders, and REST answers on every live member.
    const violations: string[] = [];
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [state, ...hs] = await Promise.all([
          getJson<{ stats: { openWebSockets: number } }>(`${sim.url}/__sim/state`).catch(() => null),
          ...alive().map((m) => health(m).catch(() => null)),
        ]);
        const holders = hs.filter((h) => (h?.team?.upstreamConnections ?? 0) > 0).length;
        if (holders > 1) violations.push(`${holders} relays hold upstream connections`);
        if (state && state.body.stats.openWebSockets > 1) violations.push(`${state.body.stats.openWebSockets} Call Control sockets open at the simulator`);
        for (const m of alive()) {
          const r = await getJson<unknown>(`${m.url}/relay/active-calls`, { 'x-api-key': apiKey }).catch((e: Error) => ({ status: -1, body: e.message }));
          if (!m.alive) continue; // killed while asked
          if (r.status !== 200) violations.push(`active-calls on ${m.url}: ${r.status} ${JSON.stringify(r.body)}`);
          else if (!activeCallsResponse.safeParse(r.body).success) violations.push(`active-calls on ${m.url}: malformed`);
        }
        samples++;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    // A client on a follower that will survive.
    const survivorA = followers[0]!;
    const survivorB = followers[1]!;
    const first = record(survivorA, apiKey);
    await first.opened;
    await until('frames on the follower', async () => first.seqs.length >= 5, 15_000);

    // kill -9 the leader.
    leader.alive = false;
    const killedAt = Date.now();
    leader.p.child.kill('SIGKILL');
    await leader.p.exited;
    const next = await until('a new leader', agreedLeader, 10_000);
    const failoverMs = Date.now() - killedAt;
    expect(failoverMs).toBeLessThan(5_000);
    expect(next).not.toBe(leader);

    // Frames keep coming from the new leader, then the client moves to the other survivor.
    const before = first.seqs.length;
    await until('frames after the failover', async () => first.seqs.length >= before + 5, 15_000);
    first.ws.close();
    await first.closed;
    const last = first.seqs.at(-1)!;
    const second = record(survivorB, apiKey, last);
    await second.opened;
    await until('frames after the reconnect', async () => second.seqs.length >= 10 || second.resync, 15_000);
    second.ws.close();
    await second.closed;

    sampling = false;
    await sampler;

    // One socket's seqs are contiguous; the second starts right after the first's last.
    const contiguous = (s: number[]) => s.every((v, i) => i === 0 || v === s[i - 1]! + 1);
    expect(contiguous(first.seqs)).toBe(true);
    if (!second.resync) {
      expect(second.seqs[0]).toBe(last + 1);
      expect(contiguous(second.seqs)).toBe(true);
    }
    expect(samples).toBeGreaterThan(5);
    expect(violations).toEqual([]);
    const h1 = await health(survivorB);
    expect(h1.team!.members.some((m) => m.id === h1.team!.leader && m.role === 'leader')).toBe(true);
    expect(h1.team!.leader).toBe((await health(next)).team!.self);

    // Revoking the key on one member closes its WebSocket on another.
    const watcher = record(survivorB, apiKey);
    await watcher.opened;
    const revoker = alive().find((m) => m !== survivorB)!;
    const revoked = await fetch(`${revoker.url}/admin/api-keys/${keyId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(200);
    const closedIn = await Promise.race([watcher.closed.then(() => true), new Promise((r) => setTimeout(() => r(false), 3_000))]);
    expect(closedIn).toBe(true);
  }, 90_000);
});
