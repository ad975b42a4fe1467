// GET /admin/stats with the call-record database connected: calls today and
// per hour come from cdroutput (calls, not segments), not from the live
// stream, so a relay that just started shows the day's calls at once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stats } from '../../../relay/contract/api-types.js';
import { startHarness, type Harness } from '../../support/relay-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('GET /admin/stats from the call records', () => {
  it('counts the calls the database holds for today, before the live stream has seen any', async () => {
    const midnight = new Date();
    midnight.setHours(0, 0, 0, 0);
    // Within today and within the last hour bucket's reach, whatever the time of day.
    const at = new Date(Math.max(midnight.getTime(), Date.now() - 60_000)).toISOString();
    const client = new pg.Client({ connectionString: h.cdr!.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO cdroutput (cdr_id, call_history_id, cdr_started_at) VALUES
           (gen_random_uuid(), '55555555-5555-4555-8555-555555555555', $1), (gen_random_uuid(), '55555555-5555-4555-8555-555555555555', $1),
           (gen_random_uuid(), '66666666-6666-4666-8666-666666666666', $1), (gen_random_uuid(), NULL, $1)`,
        [at],
      );
    } finally {
      await client.end();
    }
    const r = await h.req('/admin/stats', { auth: h.viewerToken });
    expect(r.status).toBe(200);
    const stats = (await r.json()) as Stats;
    // The harness's seeded history is in January 2026; today's calls are the three above.
    expect(stats.callsToday).toBe(3);
    expect(stats.callsPerHour).toHaveLength(24);
    expect(stats.callsPerHour.reduce((n, p) => n + p.count, 0)).toBe(3);
    expect(new Date(stats.callsPerHour.at(-1)!.hour).getMinutes()).toBe(0);
  });
});
