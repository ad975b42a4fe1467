// A single relay on a PostgreSQL store is a team of one: it leads, holds the
// upstreams, names itself in health; on the embedded store nothing changes.
import { afterEach, describe, expect, it } from 'vitest';
import type { ActiveCallsResponse, Health } from '../../../relay/contract/api-types.js';
import { health as healthSchema } from '../../../relay/contract/response-schemas.js';
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

describe('team mode of one relay', () => {
  it('on PostgreSQL the relay leads its team of one, serves as before, and leaves the member list when it stops', async () => {
    db = await createScratchDatabase('team_one');
    h = await startHarness({ cdr: 'none', config: { storeUrl: db.url } });
    const team = await waitUntil(async () => {
      const body = (await (await h!.req('/relay/health')).json()) as Health;
      return body.team?.leader === body.team?.self && (body.team?.upstreamConnections ?? 0) >= 2 ? body : null;
    }, 'the relay to lead with its upstreams connected');
    expect(healthSchema.safeParse(team).success).toBe(true);
    expect(team.team!.members).toEqual([expect.objectContaining({ id: team.team!.self, role: 'leader', lagSeq: 0, url: h.url })]);
    expect(team.components.xapi.state).toBe('connected');
    // The leader's own services answer (and the live state reaches the team log).
    const calls = await h.req('/relay/active-calls', { auth: h.keys.read });
    expect(calls.status).toBe(200);
    expect(((await calls.json()) as ActiveCallsResponse).source).toBe('xapi');
    expect(h.service.health().team?.self).toBe(team.team!.self);

    await h.service.stop();
    const rows = await withClient(db.url, (c) => c.query('select id from team_members'));
    expect(rows.rows).toEqual([]);
  });

  it('on the embedded store there is no team block', async () => {
    h = await startHarness({ cdr: 'none' });
    const body = (await (await h.req('/relay/health')).json()) as Health;
    expect(body.team).toBeUndefined();
  });
});
