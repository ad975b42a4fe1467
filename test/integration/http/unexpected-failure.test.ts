// An unexpected failure (here: the relay's own store on PostgreSQL loses a
// table under it) answers a generic 500 with no SQL, stack or secret, and
// lands in the error feed for the admin.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorEntry } from '../../../relay/contract/api-types.js';
import { createScratchDatabase, type ScratchDatabase } from '../../support/test-postgres.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
let storeDb: ScratchDatabase;
beforeAll(async () => {
  storeDb = await createScratchDatabase('http_store');
  h = await startHarness({ cdr: 'none', config: { storeUrl: storeDb.url } });
});
afterAll(async () => {
  await h?.close();
  await storeDb?.drop();
});

async function sql(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: storeDb.url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

describe('unexpected failures', () => {
  it('answer 500 with a generic message and an error-feed entry', async () => {
    expect((await h.req('/admin/stats', { auth: h.adminToken })).status).toBe(200);
    await sql('ALTER TABLE daily_counts RENAME TO daily_counts_gone');
    try {
      const r = await h.req('/admin/stats', { auth: h.adminToken });
      expect(r.status).toBe(500);
      const text = await r.text();
      expect(JSON.parse(text)).toEqual({ error: expect.stringMatching(/unexpected error.*error feed/), code: 'internal_error' });
      expect(text).not.toMatch(/daily_counts|relation|select|postgres|at \w+ \(/i);
      const entry = await waitUntil(async () => {
        const { errors } = (await (await h.req('/admin/errors?component=api', { auth: h.adminToken })).json()) as { errors: ErrorEntry[] };
        return errors.find((e) => e.message.includes('/admin/stats'));
      }, 'error-feed entry');
      expect(entry).toMatchObject({ component: 'api', severity: 'error', acknowledged: false });
    } finally {
      await sql('ALTER TABLE daily_counts_gone RENAME TO daily_counts');
    }
    expect((await h.req('/admin/stats', { auth: h.adminToken })).status).toBe(200);
  });
});
