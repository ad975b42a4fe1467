// Each rule kind fires and clears; cool-down; quiet hours record but silence;
// acknowledge stores the person; every transition is an `alert` frame in the
// replayable stream. A real SQLite store and a manual clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertFrame } from '../../../relay/contract/api-types.js';
import type { AlertRuleInput } from '../../../relay/contract/supervisor-types.js';
import { alertRig, components, pbx, queue, ruleInput, type AlertRig } from './alert-fixtures.js';

let rig: AlertRig;
afterEach(async () => {
  await rig.close();
});

const alertFrames = () => rig.frames().filter((f): f is AlertFrame => f.type === 'alert').map((f) => f.data);

describe('each rule kind fires and clears', () => {
  beforeEach(async () => {
    rig = await alertRig();
  });

  const cases: { name: string; rule: AlertRuleInput; breach(): void; recover(): void; message: RegExp }[] = [
    {
      name: 'calls_waiting > N', rule: ruleInput({ kind: 'calls_waiting', threshold: 3 }),
      breach: () => void (rig.snapshot.queues = [queue(1, { callsWaiting: 3 }), queue(2, { callsWaiting: 4 })]),
      recover: () => void (rig.snapshot.queues = [queue(1, { callsWaiting: 3 }), queue(2, { callsWaiting: 1 })]),
      message: /queue Q2 \(802\): 4 calls waiting \(more than 3\)/,
    },
    {
      name: 'longest_wait > S s', rule: ruleInput({ kind: 'longest_wait', threshold: 60, queueId: 1 }),
      breach: () => void (rig.snapshot.queues = [queue(1, { longestWaitS: 61 }), queue(2)]),
      recover: () => void (rig.snapshot.queues = [queue(1, { longestWaitS: 10 }), queue(2, { longestWaitS: 500 })]),
      message: /queue Q1 \(801\): longest wait 61 s/,
    },
    {
      name: 'service_level < P %', rule: ruleInput({ kind: 'service_level', threshold: 80 }),
      breach: () => void (rig.snapshot.queues = [queue(1, { serviceLevelToday: 79.6 })]),
      recover: () => void (rig.snapshot.queues = [queue(1, { serviceLevelToday: 80 })]),
      message: /service level 80 % \(below 80 %\)/,
    },
    {
      name: 'agents_available < K', rule: ruleInput({ kind: 'agents_available', threshold: 2 }),
      breach: () => void (rig.snapshot.queues = [queue(1, { agentsAvailable: 1 })]),
      recover: () => void (rig.snapshot.queues = [queue(1, { agentsAvailable: 2 })]),
      message: /1 agents available \(fewer than 2\)/,
    },
    {
      name: 'trunk_down', rule: ruleInput({ kind: 'trunk_down', threshold: 0 }),
      breach: () => void (rig.snapshot.pbx = pbx(1, 2)),
      recover: () => void (rig.snapshot.pbx = pbx(2, 2)),
      message: /1 of 2 trunks not registered/,
    },
    {
      name: 'upstream_down > T s', rule: ruleInput({ kind: 'upstream_down', threshold: 30 }),
      breach: () => {
        rig.snapshot.components = components({ callcontrol: { state: 'disconnected', since: new Date(rig.clock.now() - 31_000).toISOString(), lastError: 'socket closed' } });
      },
      recover: () => void (rig.snapshot.components = components()),
      message: /callcontrol disconnected since .* \(socket closed\)/,
    },
  ];

  it.each(cases)('$name', async ({ rule, breach, recover, message }) => {
    const created = await rig.service.createRule(rule, 'alice');
    await rig.engine.evaluate();
    expect(await rig.service.list({})).toEqual([]);

    breach();
    await rig.engine.evaluate();
    await rig.engine.evaluate(); // still breached: no second alert
    const [fired] = await rig.service.list({});
    expect(await rig.service.list({})).toHaveLength(1);
    expect(fired).toMatchObject({ ruleId: created.id, rule: rule.name, state: 'fired', severity: 'warning', clearedAt: null, silenced: false });
    expect(fired!.message).toMatch(message);

    recover();
    rig.clock.advance(1000);
    await rig.engine.evaluate();
    const [cleared] = await rig.service.list({});
    expect(cleared).toMatchObject({ id: fired!.id, state: 'cleared', clearedAt: new Date(rig.clock.now()).toISOString() });
    expect(alertFrames().map((d) => d.state)).toEqual(['fired', 'cleared']);
    expect(rig.heard.map((e) => e.state)).toEqual(['fired', 'cleared']);
  });
});

describe('alert engine', () => {
  beforeEach(async () => {
    rig = await alertRig();
  });

  it('upstream_down waits for T seconds of the component being down, measured from `since`', async () => {
    await rig.service.createRule(ruleInput({ kind: 'upstream_down', threshold: 30 }), 'alice');
    rig.snapshot.components = components({ xapi: { state: 'error', since: new Date(rig.clock.now()).toISOString() } });
    rig.engine.start();
    rig.clock.advance(25_000);
    await rig.engine.evaluate();
    expect(await rig.service.list({})).toEqual([]);
    rig.clock.advance(10_000); // the engine's own 5 s timer evaluates
    await rig.engine.evaluate();
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['fired']);
  });

  it('an unconfigured component is not down; stale or missing figures neither fire nor clear', async () => {
    await rig.service.createRule(ruleInput({ kind: 'upstream_down', threshold: 0 }), 'alice');
    await rig.service.createRule(ruleInput({ kind: 'calls_waiting', threshold: 2 }), 'alice');
    rig.snapshot.components = components({ database: { state: 'unconfigured', since: '2026-01-01T00:00:00.000Z' } });
    rig.snapshot.queues = [queue(1, { callsWaiting: 9 }, true)];
    await rig.engine.evaluate();
    expect(await rig.service.list({})).toEqual([]);

    rig.snapshot.queues = [queue(1, { callsWaiting: 9 })];
    await rig.engine.evaluate();
    rig.snapshot.queues = [queue(1, { callsWaiting: 0 }, true)];
    await rig.engine.evaluate();
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['fired']);
    rig.snapshot.queues = [];
    await rig.engine.evaluate();
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['fired']);
  });

  it('cool-down: after clearing, the rule does not fire again until cooldownS passed', async () => {
    await rig.service.createRule(ruleInput({ kind: 'trunk_down', threshold: 0, cooldownS: 60 }), 'alice');
    const flap = async (down: boolean) => {
      rig.snapshot.pbx = pbx(down ? 0 : 1, 1);
      await rig.engine.evaluate();
    };
    await flap(true);
    await flap(false);
    rig.clock.advance(59_000);
    await flap(true);
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['cleared']);
    rig.clock.advance(1_000);
    await flap(true);
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['fired', 'cleared']);
  });

  it('quiet hours: the alert is recorded as silenced (history and frame), outside them it is not', async () => {
    // Local time: Monday 2 November 2026, 23:30; the window is Monday 22:00 to Tuesday 06:00.
    rig.clock.advance(new Date(2026, 10, 2, 23, 30).getTime() - rig.clock.now());
    await rig.service.createRule(ruleInput({ kind: 'trunk_down', threshold: 0, quietHours: [{ days: [1], from: '22:00', to: '06:00' }] }), 'alice');
    rig.snapshot.pbx = pbx(0, 1);
    await rig.engine.evaluate();
    const [silent] = await rig.service.list({});
    expect(silent).toMatchObject({ state: 'fired', silenced: true });
    expect(rig.heard[0]).toMatchObject({ id: silent!.id, silenced: true });
    expect(alertFrames()).toEqual([expect.objectContaining({ id: silent!.id, state: 'fired' })]);

    rig.snapshot.pbx = pbx(1, 1);
    await rig.engine.evaluate();
    rig.clock.advance(new Date(2026, 10, 3, 6, 0).getTime() - rig.clock.now()); // Tuesday 06:00: the window is over
    rig.snapshot.pbx = pbx(0, 1);
    await rig.engine.evaluate();
    const [loud] = await rig.service.list({});
    expect(loud).toMatchObject({ state: 'fired', silenced: false });
  });

  it('acknowledge stores who and when once, announces it, and is 404 for an unknown alert', async () => {
    await rig.service.createRule(ruleInput({ kind: 'trunk_down', threshold: 0 }), 'alice');
    rig.snapshot.pbx = pbx(0, 1);
    await rig.engine.evaluate();
    const [fired] = await rig.service.list({});
    rig.clock.advance(5_000);
    const acked = await rig.service.acknowledge(fired!.id, 'bob');
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'bob', acknowledgedAt: new Date(rig.clock.now()).toISOString() });
    rig.clock.advance(5_000);
    expect(await rig.service.acknowledge(fired!.id, 'carol')).toMatchObject({ acknowledgedBy: 'bob' });
    await expect(rig.service.acknowledge(9999, 'bob')).rejects.toMatchObject({ status: 404 });
    expect(await rig.service.list({ state: 'acknowledged' })).toHaveLength(1);

    // Still breached after the acknowledgement: no new alert; recovering clears the same one.
    await rig.engine.evaluate();
    rig.snapshot.pbx = pbx(1, 1);
    await rig.engine.evaluate();
    expect(await rig.service.list({})).toEqual([expect.objectContaining({ id: fired!.id, state: 'cleared', acknowledgedBy: 'bob' })]);
    expect(alertFrames().map((d) => d.state)).toEqual(['fired', 'acknowledged', 'cleared']);
  });

  it('a rule disabled or deleted while firing clears its alert; an edit takes effect at once', async () => {
    const rule = await rig.service.createRule(ruleInput({ kind: 'calls_waiting', threshold: 5 }), 'alice');
    rig.snapshot.queues = [queue(1, { callsWaiting: 3 })];
    await rig.engine.evaluate();
    expect(await rig.service.list({})).toEqual([]);
    await rig.service.updateRule(rule.id, ruleInput({ kind: 'calls_waiting', threshold: 2 }));
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['fired']);
    await rig.service.updateRule(rule.id, ruleInput({ kind: 'calls_waiting', threshold: 2, enabled: false }));
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['cleared']);
    await rig.service.updateRule(rule.id, ruleInput({ kind: 'calls_waiting', threshold: 2 }));
    await rig.service.deleteRule(rule.id);
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['cleared', 'cleared']);
    await expect(rig.service.deleteRule(rule.id)).rejects.toMatchObject({ status: 404 });
    await expect(rig.service.updateRule(rule.id, ruleInput({ kind: 'trunk_down', threshold: 0 }))).rejects.toMatchObject({ status: 404 });
  });

  it('alerts left firing by a previous run clear instead of firing twice', async () => {
    await rig.service.createRule(ruleInput({ kind: 'trunk_down', threshold: 0 }), 'alice');
    rig.snapshot.pbx = pbx(0, 1);
    await rig.engine.evaluate();
    const { AlertEngine } = await import('../../../relay/alerts/alert-engine.js');
    const { silentLogger } = await import('../../../relay/core/logger.js');
    const restarted = new AlertEngine({
      rules: rig.store.alertRules, history: rig.store.alertHistory, snapshot: () => rig.snapshot,
      publish: () => undefined, onAlert: () => undefined, clock: rig.clock, logger: silentLogger,
    });
    await restarted.evaluate();
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['fired']);
    rig.snapshot.pbx = pbx(1, 1);
    await restarted.evaluate();
    expect((await rig.service.list({})).map((e) => e.state)).toEqual(['cleared']);
  });
});
