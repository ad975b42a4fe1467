// Alert rules and history on both engines: the same SQL, the same answers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRuleInput } from '../../../relay/contract/supervisor-types.js';
import { ENGINES, openTestStore, type TestStore } from './test-store.js';

const rule: AlertRuleInput = {
  name: 'Sales waiting', kind: 'calls_waiting', threshold: 2.5, queueId: 7, severity: 'error',
  quietHours: [{ days: [0, 6], from: '22:00', to: '06:00' }], cooldownS: 300, enabled: true,
};

describe.each(ENGINES)('alert tables on %s', (engine) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(engine);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('rules: insert, update, list, remove, kept across a reopen', async () => {
    const created = await t.store.alertRules.insert(rule, 'alice', '2026-11-02T09:00:00.000Z');
    expect(created).toEqual({ ...rule, id: created.id, createdBy: 'alice', createdAt: '2026-11-02T09:00:00.000Z', updatedAt: '2026-11-02T09:00:00.000Z' });
    const updated = await t.store.alertRules.update(created.id, { ...rule, enabled: false, quietHours: [], queueId: null }, '2026-11-02T10:00:00.000Z');
    expect(updated).toMatchObject({ enabled: false, quietHours: [], queueId: null, updatedAt: '2026-11-02T10:00:00.000Z', createdAt: '2026-11-02T09:00:00.000Z' });
    expect(await t.store.alertRules.update(created.id + 100, rule, '2026-11-02T10:00:00.000Z')).toBeNull();
    const store = await t.reopen();
    expect(await store.alertRules.list()).toEqual([updated]);
    expect(await store.alertRules.remove(created.id)).toBe(true);
    expect(await store.alertRules.remove(created.id)).toBe(false);
    expect(await store.alertRules.get(created.id)).toBeNull();
  });

  it('history: fire, acknowledge once, clear once, open alerts, newest-first pages filtered by state', async () => {
    const h = t.store.alertHistory;
    const a = await h.fire({ ruleId: 1, rule: 'r1', severity: 'warning', message: 'm1', firedAt: '2026-11-02T09:00:00.000Z', silenced: true });
    const b = await h.fire({ ruleId: 2, rule: 'r2', severity: 'critical', message: 'm2', firedAt: '2026-11-02T09:01:00.000Z', silenced: false });
    expect(a).toEqual({ id: a.id, ruleId: 1, rule: 'r1', severity: 'warning', state: 'fired', message: 'm1', firedAt: '2026-11-02T09:00:00.000Z', clearedAt: null, acknowledgedBy: null, acknowledgedAt: null, silenced: true });
    expect((await h.acknowledge(a.id, 'bob', '2026-11-02T09:02:00.000Z'))).toMatchObject({ changed: true, entry: { state: 'acknowledged', acknowledgedBy: 'bob' } });
    expect((await h.acknowledge(a.id, 'carol', '2026-11-02T09:03:00.000Z'))).toMatchObject({ changed: false, entry: { acknowledgedBy: 'bob', acknowledgedAt: '2026-11-02T09:02:00.000Z' } });
    expect(await h.acknowledge(9999, 'bob', '2026-11-02T09:03:00.000Z')).toBeNull();
    expect(await h.clear(b.id, '2026-11-02T09:04:00.000Z')).toMatchObject({ state: 'cleared', clearedAt: '2026-11-02T09:04:00.000Z' });
    expect(await h.clear(b.id, '2026-11-02T09:05:00.000Z')).toBeNull();
    expect((await h.open()).map((e) => e.id)).toEqual([a.id]);
    expect((await h.list()).map((e) => e.id)).toEqual([b.id, a.id]);
    expect((await h.list({ state: 'cleared' })).map((e) => e.id)).toEqual([b.id]);
    expect((await h.list({ before: b.id })).map((e) => e.id)).toEqual([a.id]);
    expect((await h.list({ limit: 1 })).map((e) => e.id)).toEqual([b.id]);
  });

  it('retention deletes entries cleared long ago, never open ones', async () => {
    const h = t.store.alertHistory;
    const old = await h.fire({ ruleId: 1, rule: 'r', severity: 'info', message: 'old', firedAt: '2024-01-01T00:00:00.000Z', silenced: false });
    await h.clear(old.id, '2024-01-01T01:00:00.000Z');
    const open = await h.fire({ ruleId: 2, rule: 'r', severity: 'info', message: 'still firing', firedAt: '2024-01-01T00:00:00.000Z', silenced: false });
    const recent = await h.fire({ ruleId: 3, rule: 'r', severity: 'info', message: 'recent', firedAt: '2026-11-01T00:00:00.000Z', silenced: false });
    await h.clear(recent.id, '2026-11-01T01:00:00.000Z');
    expect(await h.pruneClearedBefore('2025-01-01T00:00:00.000Z')).toBe(1);
    expect((await h.list()).map((e) => e.id).sort()).toEqual([open.id, recent.id].sort());
  });
});
