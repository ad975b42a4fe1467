import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorEntry } from '../../../relay/contract/api-types.js';
import { isRelayError } from '../../../relay/core/relay-error.js';
import { EventHub, type HubFrame } from '../../../relay/events/event-hub.js';
import { ErrorTracker, normalizeErrorMessage } from '../../../relay/monitor/error-tracker.js';
import type { Store } from '../../../relay/store/store.js';
import { ManualClock } from '../../support/manual-clock.js';
import { openTempStore } from './monitor-fixtures.js';

let t: Awaited<ReturnType<typeof openTempStore>>;
let store: Store;
let clock: ManualClock;
let hub: EventHub;
let tracker: ErrorTracker;
const frames: HubFrame[] = [];

beforeEach(async () => {
  t = await openTempStore();
  store = t.store;
  clock = new ManualClock();
  hub = new EventHub({ clock });
  frames.length = 0;
  hub.subscribe((f) => frames.push(f));
  tracker = new ErrorTracker({ store: store.errors, hub, clock, secrets: () => ['s3cr3t-value'] });
});
afterEach(async () => {
  await tracker.drain();
  await t.cleanup();
});

describe('normalizeErrorMessage', () => {
  it.each([
    ['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED 127.0.0.1:5433'],
    ['Call Control socket closed (1006) after 31 s', 'call control socket closed (1011) after 2 s'],
    ['request 7f3c2a9e-1b2c-4d5e-8f90-123456789abc failed', 'request 00000000-1111-2222-3333-444444444444 failed'],
    ['token   expired', 'Token expired'],
  ])('%j and %j are the same fault', (a, b) => {
    expect(normalizeErrorMessage(a)).toBe(normalizeErrorMessage(b));
  });
  it('keeps different faults apart', () => {
    expect(normalizeErrorMessage('token rejected')).not.toBe(normalizeErrorMessage('token expired'));
    expect(normalizeErrorMessage('added entry')).toBe('added entry'); // hex-looking words without digits survive
  });
});

describe('ErrorTracker', () => {
  it('records an entry, announces it and publishes an error_logged frame', async () => {
    const logged: [ErrorEntry, boolean][] = [];
    tracker.on('logged', (e, isNew) => logged.push([e, isNew]));
    const entry = await tracker.record({ component: 'xapi', severity: 'error', message: 'XAPI answered 500', details: { status: 500 } });
    expect(entry).toMatchObject({ component: 'xapi', severity: 'error', message: 'XAPI answered 500', occurrences: 1, acknowledged: false, details: { status: 500 } });
    expect(logged).toEqual([[entry, true]]);
    expect(frames).toEqual([{ type: 'error_logged', seq: 0, at: '2026-11-02T09:00:00.000Z', data: entry }]);
    expect(await tracker.list()).toEqual([entry]);
  });

  it('bumps the open entry when the same fault repeats, even with different numbers', async () => {
    const first = await tracker.record({ component: 'database', severity: 'error', message: 'connect ECONNREFUSED 127.0.0.1:5432' });
    clock.advance(5_000);
    const logged: boolean[] = [];
    tracker.on('logged', (_e, isNew) => logged.push(isNew));
    const again = await tracker.record({ component: 'database', severity: 'critical', message: 'connect ECONNREFUSED 127.0.0.1:5433' });
    expect(again).toMatchObject({ id: first!.id, occurrences: 2, lastAt: '2026-11-02T09:00:05.000Z', severity: 'critical', message: 'connect ECONNREFUSED 127.0.0.1:5432' });
    expect(logged).toEqual([false]);
    expect(await tracker.list()).toHaveLength(1);
  });

  it('a storm of one fault in parallel leaves a single entry', async () => {
    await Promise.all(Array.from({ length: 60 }, (_, i) => tracker.record({ component: 'callcontrol', severity: 'warning', message: `socket closed (${1000 + i})` })));
    const all = await tracker.list();
    expect(all).toHaveLength(1);
    expect(all[0]!.occurrences).toBe(60);
  });

  it('drops reports beyond the per-fault queue bound instead of growing memory', async () => {
    const small = new ErrorTracker({ store: store.errors, clock, maxQueuedPerFault: 5 });
    const results = await Promise.all(Array.from({ length: 20 }, () => small.record({ component: 'relay', severity: 'error', message: 'flood' })));
    expect(results.filter((r) => r === null)).toHaveLength(15);
    expect((await small.list())[0]!.occurrences).toBe(5);
  });

  it('different components or faults are different entries', async () => {
    await tracker.record({ component: 'xapi', severity: 'error', message: 'timeout after 10 s' });
    await tracker.record({ component: 'database', severity: 'error', message: 'timeout after 10 s' });
    await tracker.record({ component: 'xapi', severity: 'error', message: 'token rejected' });
    expect(await tracker.list()).toHaveLength(3);
  });

  it('after acknowledgement, the next occurrence opens a new entry', async () => {
    const first = await tracker.record({ component: 'xapi', severity: 'error', message: 'XAPI answered 503' });
    const acked = await tracker.acknowledge(first!.id, 'admin');
    expect(acked).toMatchObject({ acknowledged: true, acknowledgedBy: 'admin', acknowledgedAt: '2026-11-02T09:00:00.000Z' });
    const second = await tracker.record({ component: 'xapi', severity: 'error', message: 'XAPI answered 503' });
    expect(second!.id).not.toBe(first!.id);
    expect(await tracker.list({ acknowledged: false })).toEqual([second]);
  });

  it('acknowledging an unknown id is a 404', async () => {
    const e = await tracker.acknowledge(424242).catch((x: unknown) => x);
    expect(isRelayError(e) && e.status).toBe(404);
  });

  it('redacts secrets from the message and details before storing', async () => {
    const entry = await tracker.record({
      component: 'database', severity: 'error', message: 'login failed for postgres://u:pw@db/x with s3cr3t-value',
      details: { password: 'hunter2', url: 'postgres://reader:topsecret@10.0.0.5/db', nested: { note: 'key s3cr3t-value' } },
    });
    const text = JSON.stringify(await store.errors.get(entry!.id));
    for (const secret of ['hunter2', 'topsecret', 's3cr3t-value', ':pw@']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('after a restart, a repeat with different numbers still bumps the open entry', async () => {
    const first = await tracker.record({ component: 'callcontrol', severity: 'error', message: 'socket closed (1006)' });
    const restarted = new ErrorTracker({ store: store.errors, clock });
    const again = await restarted.record({ component: 'callcontrol', severity: 'error', message: 'socket closed (1011)' });
    expect(again).toMatchObject({ id: first!.id, occurrences: 2 });
  });

  it('never rejects when the store is gone; it logs and yields null', async () => {
    await store.close();
    await expect(tracker.record({ component: 'store', severity: 'critical', message: 'disk full' })).resolves.toBeNull();
  });

  it('summary counts by severity and acknowledgement', async () => {
    const a = await tracker.record({ component: 'xapi', severity: 'error', message: 'a' });
    await tracker.record({ component: 'xapi', severity: 'warning', message: 'b' });
    await tracker.acknowledge(a!.id);
    expect(await tracker.summary()).toEqual({ total: 2, unacknowledged: 1, bySeverity: { info: 0, warning: 1, error: 1, critical: 0 } });
  });
});
