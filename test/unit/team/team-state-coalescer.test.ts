import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { StateCoalescer } from '../../../relay/team/team-state-coalescer.js';
import { ManualClock } from '../../support/manual-clock.js';

function setup() {
  const clock = new ManualClock();
  const writes: { key: string; value: unknown; at: number; resolve(): void }[] = [];
  const c = new StateCoalescer<'calls' | 'health'>({
    clock,
    logger: silentLogger,
    intervalMs: 250,
    write: (key, value) => new Promise<void>((resolve) => writes.push({ key, value, at: clock.now() - t0, resolve })),
  });
  const t0 = clock.now();
  const finish = async () => {
    for (const w of writes) w.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { clock, c, writes, finish };
}

describe('StateCoalescer', () => {
  it('writes the first change at once, then the newest at most once per interval per key', async () => {
    const t = setup();
    t.c.set('calls', 1);
    expect(t.writes.map((w) => [w.key, w.value, w.at])).toEqual([['calls', 1, 0]]);
    await t.finish();
    t.clock.advance(100);
    t.c.set('calls', 2);
    t.c.set('calls', 3);
    t.c.set('health', 'h1'); // another key is not held back
    expect(t.writes.map((w) => [w.key, w.value, w.at])).toEqual([['calls', 1, 0], ['health', 'h1', 100]]);
    t.clock.advance(149);
    expect(t.writes).toHaveLength(2);
    t.clock.advance(1);
    expect(t.writes.map((w) => [w.key, w.value, w.at]).at(-1)).toEqual(['calls', 3, 250]);
    await t.finish();
    t.clock.advance(1000);
    expect(t.writes).toHaveLength(3);
  });

  it('never overlaps two writes of one key: a change during a slow write waits for it', async () => {
    const t = setup();
    t.c.set('calls', 1);
    t.clock.advance(300);
    t.c.set('calls', 2);
    t.clock.advance(300);
    expect(t.writes.map((w) => w.value)).toEqual([1]);
    await t.finish();
    expect(t.writes.map((w) => w.value)).toEqual([1, 2]);
  });

  it('close() drops pending values', async () => {
    const t = setup();
    t.c.set('calls', 1);
    t.c.set('calls', 2);
    t.c.close();
    await t.finish();
    t.clock.advance(1000);
    t.c.set('calls', 3);
    expect(t.writes.map((w) => w.value)).toEqual([1]);
    expect(t.clock.pendingTimers).toBe(0);
  });
});
