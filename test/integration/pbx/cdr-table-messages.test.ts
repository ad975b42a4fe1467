// The call-record database without its table (a PBX before 20.0.6, or not a
// 3CX database) or with an empty one (the Data Connector purges synced rows):
// each gets a message pointing at the Data Connector's PostgreSQL copy, not a
// generic error or silently empty pages.
import { afterAll, describe, expect, it } from 'vitest';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';
import { seedCdr } from '../../../relay/sim/cdr-seed.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';

const dbs: ScratchDatabase[] = [];
const repositories = cdrTestRepositories(() => '');
afterAll(async () => {
  await repositories.stopAll();
  for (const db of dbs) await db.drop();
});

async function scratch(cdrSchema: boolean): Promise<ScratchDatabase> {
  const db = await createScratchDatabase('cdr_table_msg', { cdrSchema });
  dbs.push(db);
  return db;
}

describe('call-record table messages', () => {
  it('no cdroutput table: an error naming the Data Connector copy', async () => {
    const db = await scratch(false);
    const repo = repositories.open({ config: { url: db.url } });
    await repo.start();
    expect(repo.health().state).toBe('error');
    expect(repo.health().lastError).toMatch(/has no cdroutput table: .*20\.0\.6.*Data Connector's PostgreSQL copy/);
  });

  it('an empty cdroutput: connected, with a warning naming PurgeAfterSync and the Data Connector copy; rows make it go away', async () => {
    const db = await scratch(true);
    const repo = repositories.open({ config: { url: db.url } });
    const faults: UpstreamFault[] = [];
    repo.on('fault', (f) => faults.push(f));
    await repo.start();
    expect(repo.health().state).toBe('connected');
    expect(faults).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/empty cdroutput table.*PurgeAfterSync.*Data Connector's PostgreSQL copy/) })]);

    const seeded = await scratch(true);
    await withClient(seeded.url, (c) => seedCdr(c, { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-10-02T00:00:00Z'), count: 5, seed: 3 }));
    const full = repositories.open({ config: { url: seeded.url } });
    const none: UpstreamFault[] = [];
    full.on('fault', (f) => none.push(f));
    await full.start();
    expect(full.health().state).toBe('connected');
    expect(none).toEqual([]);
  });
});
