// The error feed's table is bounded by count and by age, unacknowledged
// entries included, so no stream of faults can grow the store without limit;
// repeats of one fault still roll up into one entry (occurrences).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ERROR_FEED_BOUNDS, ErrorLogRepository } from '../../../relay/store/error-log-repository.js';
import { ENGINES, openTestStore, type TestStore } from './test-store.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const DAY = 86_400_000;

describe.each(ENGINES)('error feed bounds (%s)', (engine) => {
  let t: TestStore | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  const countRows = async (s: TestStore) =>
    Number((await s.store.db.selectFrom('error_log').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);

  it('never holds more than maxEntries, unacknowledged included; the newest stay', async () => {
    t = await openTestStore(engine);
    const repo = new ErrorLogRepository(t.store.db, { maxEntries: 20, maxAgeMs: 30 * DAY });
    for (let i = 0; i < 60; i++) {
      await repo.record({ component: 'api', severity: 'error', message: `distinct fault ${'x'.repeat(i)}`, at: at(i * 1000) });
      expect(await countRows(t)).toBeLessThanOrEqual(20);
    }
    const left = await repo.list({ limit: 500 });
    expect(left).toHaveLength(20);
    expect(left.every((e) => !e.acknowledged)).toBe(true);
    expect(left[0]!.message).toBe(`distinct fault ${'x'.repeat(59)}`);
  });

  it('drops entries last seen longer ago than maxAgeMs, acknowledged or not; repeats roll up', async () => {
    t = await openTestStore(engine);
    const repo = new ErrorLogRepository(t.store.db, { maxEntries: 100, maxAgeMs: 10 * DAY });
    await repo.record({ component: 'xapi', severity: 'error', message: 'old fault', at: at(0) });
    for (let i = 1; i <= 5; i++) await repo.record({ component: 'xapi', severity: 'error', message: 'flapping fault', at: at(i * DAY) });
    await repo.record({ component: 'xapi', severity: 'error', message: 'new fault', at: at(11 * DAY) });
    const left = await repo.list({ limit: 500 });
    expect(left.map((e) => [e.message, e.occurrences])).toEqual([['new fault', 1], ['flapping fault', 5]]);
  });

  it('the store\'s own repository is bounded by default', async () => {
    expect(DEFAULT_ERROR_FEED_BOUNDS.maxEntries).toBeGreaterThan(0);
    expect(Number.isFinite(DEFAULT_ERROR_FEED_BOUNDS.maxAgeMs)).toBe(true);
    t = await openTestStore(engine);
    await t.store.errors.record({ component: 'api', severity: 'error', message: 'ancient', at: at(0) });
    await t.store.errors.record({ component: 'api', severity: 'error', message: 'recent', at: at(DEFAULT_ERROR_FEED_BOUNDS.maxAgeMs + DAY) });
    expect((await t.store.errors.list({})).map((e) => e.message)).toEqual(['recent']);
  });
});
