// The lock session can end while this relay is still taking the lead (its
// 'leader' listener catching the stream up and starting the upstreams): no
// heartbeat runs then. Once the listener is done, the relay must step down
// at once, not a heartbeat later: another relay may already hold the lock
// (it tries every lockRetryMs), and this one would hold 3CX connections
// alongside it until its next heartbeat.
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { createLeaderElection, LOCK_APPLICATION_NAME, teamLockKey, type LeaderElection } from '../../../relay/team/leader-election.js';
import { createScratchDatabase, withClient, type ScratchDatabase } from '../../support/test-postgres.js';

let db: ScratchDatabase | null = null;
const elections: LeaderElection[] = [];
afterEach(async () => {
  await Promise.all(elections.splice(0).map((e) => e.stop()));
  await db?.drop();
  db = null;
});

it('a lock session lost during the leader listener makes the relay step down as soon as the listener returns', async () => {
  db = await createScratchDatabase('team_election_take');
  const url = db.url;
  // A long heartbeat, so a step-down that waits for it shows.
  const election = createLeaderElection({ url, key: teamLockKey(null), clock: systemClock, logger: silentLogger, lockRetryMs: 100, heartbeatMs: 5_000, heartbeatTimeoutMs: 1_000 });
  elections.push(election);
  let listenerDoneAt = 0;
  let steppedDownAt = 0;
  election.onChange(async (c) => {
    if (c.role === 'leader' && listenerDoneAt === 0) {
      // While this relay takes the lead, an admin (or a network cut) ends its lock session.
      await withClient(url, (client) => client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()', [LOCK_APPLICATION_NAME]));
      await new Promise((r) => setTimeout(r, 200));
      listenerDoneAt = Date.now();
    } else if (c.role === 'follower' && listenerDoneAt > 0 && steppedDownAt === 0) {
      steppedDownAt = Date.now();
    }
  });
  election.start();
  const started = Date.now();
  while (steppedDownAt === 0 && Date.now() - started < 8_000) await new Promise((r) => setTimeout(r, 20));
  expect(steppedDownAt).toBeGreaterThan(0);
  expect(steppedDownAt - listenerDoneAt).toBeLessThan(500);
});
