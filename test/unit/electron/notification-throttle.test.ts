import { describe, expect, it } from 'vitest';
import { createNotificationPresenter, ERRORS_PAGE, type NotificationLike } from '../../../electron/notifications/notification-presenter.js';
import { createNotificationThrottle, type Notice } from '../../../electron/notifications/notification-throttle.js';
import type { ErrorComponent, ErrorEntry, Severity } from '../../../relay/contract/api-types.js';
import { ManualClock } from '../../support/manual-clock.js';

let nextId = 1;
function entry(component: ErrorComponent, severity: Severity, message = `${component} failed`): ErrorEntry {
  const at = new Date().toISOString();
  return { id: nextId++, at, component, severity, message, details: null, acknowledged: false, acknowledgedAt: null, acknowledgedBy: null, occurrences: 1, lastAt: at };
}

function setup(windowMs = 60_000) {
  const clock = new ManualClock();
  const shown: Notice[] = [];
  const throttle = createNotificationThrottle({ clock, windowMs, notify: (n) => shown.push(n) });
  return { clock, shown, throttle };
}

describe('notification throttle', () => {
  it('notifies a new error or critical entry at once', () => {
    const { shown, throttle } = setup();
    throttle.offer(entry('xapi', 'error', '3CX rejected the client secret'), true);
    throttle.offer(entry('database', 'critical', 'database unreachable'), true);
    expect(shown).toMatchObject([
      { title: '3CX API', body: '3CX rejected the client secret', count: 1, severity: 'error' },
      { title: 'Critical: call records database', body: 'database unreachable', count: 1, severity: 'critical' },
    ]);
  });

  it('ignores info and warning entries, and repeats of an existing entry', () => {
    const { shown, throttle, clock } = setup();
    throttle.offer(entry('xapi', 'info'), true);
    throttle.offer(entry('xapi', 'warning'), true);
    throttle.offer(entry('xapi', 'error'), false);
    clock.advance(120_000);
    expect(shown).toEqual([]);
  });

  it('groups a flapping component into one summary per window', () => {
    const { shown, throttle, clock } = setup();
    throttle.offer(entry('callcontrol', 'error', 'socket closed 1'), true);
    for (let i = 2; i <= 4; i++) {
      clock.advance(5_000);
      throttle.offer(entry('callcontrol', 'error', `socket closed ${i}`), true);
    }
    expect(shown).toHaveLength(1);
    clock.advance(44_999); // 59.999 s after the first notification
    expect(shown).toHaveLength(1);
    clock.advance(1);
    expect(shown).toHaveLength(2);
    expect(shown[1]).toMatchObject({ title: '3 more errors from Call Control', body: 'Latest: socket closed 4', count: 3, component: 'callcontrol' });
  });

  it('a flapping component makes at most one notification per minute over a long outage', () => {
    const { shown, throttle, clock } = setup();
    // One new error every second for ten minutes.
    for (let s = 0; s < 600; s++) {
      throttle.offer(entry('callcontrol', 'error'), true);
      clock.advance(1_000);
    }
    expect(shown.length).toBeGreaterThanOrEqual(9);
    expect(shown.length).toBeLessThanOrEqual(11);
    expect(shown.reduce((n, s) => n + s.count, 0)).toBe(600);
  });

  it('limits each component separately', () => {
    const { shown, throttle } = setup();
    throttle.offer(entry('xapi', 'error'), true);
    throttle.offer(entry('callcontrol', 'error'), true);
    throttle.offer(entry('xapi', 'error'), true);
    expect(shown.map((n) => n.component)).toEqual(['xapi', 'callcontrol']);
  });

  it('marks a summary critical when any grouped entry was, and says "1 more error" in the singular', () => {
    const { shown, throttle, clock } = setup();
    throttle.offer(entry('database', 'error'), true);
    throttle.offer(entry('database', 'critical', 'disk full'), true);
    clock.advance(60_000);
    expect(shown[1]).toMatchObject({ title: '1 more error from call records database (critical)', severity: 'critical', count: 1 });
  });

  it('notifies at once again after a quiet window', () => {
    const { shown, throttle, clock } = setup();
    throttle.offer(entry('xapi', 'error'), true);
    clock.advance(61_000);
    throttle.offer(entry('xapi', 'error', 'again'), true);
    expect(shown.map((n) => n.body)).toEqual(['xapi failed', 'again']);
  });

  it('stop() cancels pending summaries', () => {
    const { shown, throttle, clock } = setup();
    throttle.offer(entry('xapi', 'error'), true);
    throttle.offer(entry('xapi', 'error'), true);
    expect(clock.pendingTimers).toBe(1);
    throttle.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(120_000);
    throttle.offer(entry('xapi', 'error'), true);
    expect(shown).toHaveLength(1);
  });
});

describe('notification presenter', () => {
  it('shows a native notification whose click opens the Errors page', () => {
    const created: { options: unknown; handlers: Map<string, () => void>; shown: boolean }[] = [];
    const opened: string[] = [];
    const presenter = createNotificationPresenter({
      isSupported: () => true,
      openPage: (p) => opened.push(p),
      create: (options) => {
        const n = { options, handlers: new Map<string, () => void>(), shown: false };
        created.push(n);
        const like: NotificationLike = { on: (e, l) => n.handlers.set(e, l), show: () => void (n.shown = true) };
        return like;
      },
    });
    presenter.show({ title: 'Critical: 3CX API', body: 'down', component: 'xapi', severity: 'critical', count: 1, entryId: 9 });
    expect(created[0]).toMatchObject({ options: { title: 'Critical: 3CX API', body: 'down', urgency: 'critical' }, shown: true });
    created[0]!.handlers.get('click')!();
    expect(opened).toEqual([ERRORS_PAGE]);
  });

  it('does nothing where notifications are unsupported', () => {
    let created = 0;
    const presenter = createNotificationPresenter({
      isSupported: () => false, openPage: () => {}, create: () => { created++; return { on() {}, show() {} }; },
    });
    presenter.show({ title: 't', body: 'b', component: 'xapi', severity: 'error', count: 1, entryId: 1 });
    expect(created).toBe(0);
  });
});
