// Reconfiguring a team member swaps its upstreams; so does the election when
// this relay takes or leaves the lead. Each swap stops the current clients
// and launches new ones: two swaps at once must not both launch, or one set
// of 3CX clients is orphaned (never stopped, still holding a token and a
// Call Control socket), on a follower as well as on a leader.
import { afterEach, describe, expect, it } from 'vitest';
import type { Health } from '../../../relay/contract/api-types.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';

let h: Harness | null = null;
let db: ScratchDatabase | null = null;
afterEach(async () => {
  await h?.close();
  await db?.drop();
  h = null;
  db = null;
});

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leading(harness: Harness): Promise<Health> {
  return waitUntil(async () => {
    const body = (await (await harness.req('/relay/health')).json()) as Health;
    return body.team?.leader === body.team?.self && body.components.callcontrol.state === 'connected' ? body : null;
  }, 'the relay to lead with Call Control connected');
}

describe('team member reconfigure', () => {
  it('two reconfigures at once leave one set of 3CX clients', async () => {
    db = await createScratchDatabase('team_reconf');
    h = await startHarness({ cdr: 'none', config: { storeUrl: db.url } });
    await leading(h);
    expect(h.sim.stats.openWebSockets).toBe(1);
    await Promise.all([h.service.reconfigure({}), h.service.reconfigure({})]);
    await leading(h);
    await settle(1_000);
    expect(h.sim.stats.openWebSockets).toBe(1);
  });

  it('refuses another PBX or client id: the team key would stay the old one beside a second token holder', async () => {
    db = await createScratchDatabase('team_reconf_pbx');
    h = await startHarness({ cdr: 'none', config: { storeUrl: db.url } });
    await leading(h);
    const pbx = { baseUrl: h.sim.url, clientId: h.sim.clientId, clientSecret: h.sim.clientSecret };
    await expect(h.service.reconfigure({ pbx: { ...pbx, clientId: 'another-client' } })).rejects.toMatchObject({ status: 409, message: expect.stringContaining('team') });
    // The same PBX and client id with another secret is still a reconfigure.
    await h.service.reconfigure({ pbx: { ...pbx } });
    await leading(h);
  });

  it('a reconfigure while the leader steps down leaves no 3CX client behind', async () => {
    db = await createScratchDatabase('team_reconf');
    h = await startHarness({ cdr: 'none', config: { storeUrl: db.url } });
    await leading(h);
    // The lock session ends (an admin, a network cut): the leader steps down at once.
    const url = db.url;
    // Reconfigures before, during and after the step-down: whichever swap ends last must not leave clients launched.
    const reconfigures: Promise<void>[] = [];
    const terminated = withClient(url, (c) => c.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = '3cx-relay-leader-lock'"));
    for (let i = 0; i < 8; i++) {
      reconfigures.push(h.service.reconfigure({}));
      await settle(3);
    }
    await Promise.all([terminated, ...reconfigures]);
    // A team of one takes the lock again after its retry interval.
    await settle(300);
    await leading(h);
    await settle(1_000);
    expect(h.sim.stats.openWebSockets).toBe(1);
  });
});
