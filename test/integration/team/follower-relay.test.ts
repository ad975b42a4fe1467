// A second relay on the same store and PBX follows: it builds no 3CX client
// (the simulator sees one Call Control socket, one token holder), answers
// live calls, figures and health from the leader's mirror, and takes over,
// upstreams and all, when the leader stops.
import { afterEach, describe, expect, it } from 'vitest';
import type { ActiveCallsResponse, Health } from '../../../relay/contract/api-types.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { createRelayService, type RelayService } from '../../../relay/service.js';
import { ADMIN_PASSWORD, startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';

let h: Harness | null = null;
let follower: RelayService | null = null;
let db: ScratchDatabase | null = null;
afterEach(async () => {
  await follower?.stop();
  await h?.close();
  await db?.drop();
  h = follower = db = null;
});

describe('a follower relay', () => {
  it('holds no upstream, serves the leader\'s mirror, and takes over when the leader stops', async () => {
    db = await createScratchDatabase('team_follower');
    h = await startHarness({ cdr: 'none', config: { storeUrl: db.url }, sim: { callsPerMinute: 120 } });
    const sim = h.sim;
    const leaderHealth = await waitUntil(async () => {
      const b = (await (await h!.req('/relay/health')).json()) as Health;
      return b.team?.leader === b.team?.self ? b : null;
    }, 'the harness relay to lead');
    const tokensBefore = sim.stats.tokenRequests;
    follower = createRelayService({
      host: '127.0.0.1', port: 0, allowedOrigins: [], allowedHostNames: [], storeUrl: db.url, adminPassword: ADMIN_PASSWORD, version: '9.9.9-test',
      pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret },
      tuning: { bcryptCost: 4, flushIntervalMs: 100 },
    }, { logger: silentLogger });
    const { url } = await follower.start();
    const get = async <T>(p: string, key?: string) => {
      const r = await fetch(url + p, key ? { headers: { authorization: `Bearer ${key}` } } : {});
      return { status: r.status, body: (await r.json()) as T };
    };
    const fh = await waitUntil(async () => {
      const b = (await get<Health>('/relay/health')).body;
      return b.team?.members.length === 2 && b.components.xapi.state === 'connected' ? b : null;
    }, 'the follower to mirror the leader\'s health');
    expect(fh.team).toMatchObject({ leader: leaderHealth.team!.self, upstreamConnections: 0 });
    expect(fh.team!.self).not.toBe(leaderHealth.team!.self);
    // Live calls and queue figures come from the mirror, in the contract's shape.
    const calls = await waitUntil(async () => {
      const r = await get<ActiveCallsResponse>('/relay/active-calls', h!.keys.read);
      return r.status === 200 ? r.body : null;
    }, 'mirrored active calls');
    expect(calls.source).toBe('xapi');
    // A control request on the follower is handed to the leader, which drops the call through 3CX.
    const live = await waitUntil(async () => {
      const r = await get<ActiveCallsResponse>('/relay/active-calls', h!.keys.read);
      return r.body.value?.[0] ?? null;
    }, 'a live call to drop');
    const dropped = await fetch(`${url}/relay/active-calls/${live.Id}/drop`, { method: 'POST', headers: { authorization: `Bearer ${h.keys.control}` } });
    expect([200, 204]).toContain(dropped.status);
    expect(sim.stats.droppedCallIds).toContain(live.Id);
    expect((await get<{ queues: unknown[] }>('/relay/queues', h.keys.read)).body.queues.length).toBeGreaterThan(0);
    // "Test connection" with the team's client id answers from the leader's view, fetching no token.
    const tested = await follower.testConnection({ pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret }, cdr: null });
    expect(tested.filter((r) => r.component !== 'database')).toEqual([
      expect.objectContaining({ component: 'xapi', ok: true, message: expect.stringMatching(/team leader/) }),
      expect.objectContaining({ component: 'callcontrol', ok: true }),
    ]);
    // Only the leader ever talked to 3CX.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sim.stats.openWebSockets).toBe(1);
    expect(sim.stats.tokenRequests).toBe(tokensBefore);

    // The leader stops: the follower takes the lock and connects its own upstreams.
    const stoppedAt = Date.now();
    await h.service.stop();
    await waitUntil(async () => {
      const b = (await get<Health>('/relay/health')).body;
      return b.team?.leader === b.team?.self && (b.team?.upstreamConnections ?? 0) >= 2;
    }, 'the follower to take over', 5_000);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    await waitUntil(() => sim.stats.openWebSockets === 1, 'the new leader\'s Call Control socket');
    expect(sim.stats.tokenRequests).toBeGreaterThan(tokensBefore);
  });
});
