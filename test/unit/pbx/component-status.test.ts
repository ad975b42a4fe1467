import { describe, expect, it } from 'vitest';
import type { ComponentHealth } from '../../../relay/contract/api-types.js';
import type { Clock } from '../../../relay/core/clock.js';
import { ComponentStatus } from '../../../relay/pbx/component-status.js';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';

class Probe extends ComponentStatus {
  constructor(deps: { clock: Clock }, configured = true) {
    super('xapi', deps, configured);
  }
  set(state: Parameters<ComponentStatus['setState']>[0], error?: string | null) {
    this.setState(state, error);
  }
  latency(ms: number) {
    this.recordLatency(ms);
  }
  boom(message: string) {
    this.fail(message);
  }
  warn(message: string) {
    this.reportFault('warning', message, { n: 1 });
  }
}

function clockAt(start: number): Clock & { t: number } {
  const c = { t: start, now: () => c.t, setTimeout: () => ({ cancel() {} }) };
  return c;
}

describe('ComponentStatus', () => {
  it('starts in the given state and stamps `since` from the clock', () => {
    const p = new Probe({ clock: clockAt(Date.parse('2026-01-01T00:00:00Z')) }, false);
    expect(p.health()).toEqual({ state: 'unconfigured', latencyMs: null, lastError: null, since: '2026-01-01T00:00:00.000Z' });
  });

  it('emits `state` only on a change of state or error, with current and previous', () => {
    const clock = clockAt(0);
    const p = new Probe({ clock });
    const seen: Array<[ComponentHealth, ComponentHealth]> = [];
    p.on('state', (cur, prev) => seen.push([cur, prev]));
    p.set('connecting');
    p.set('connecting');
    clock.t = 5000;
    p.set('error', 'refused');
    p.set('error', 'refused');
    p.set('error', 'timed out');
    p.set('connected', 'ignored');
    expect(seen.map(([c]) => [c.state, c.lastError])).toEqual([
      ['connecting', null], ['error', 'refused'], ['error', 'timed out'], ['connected', null],
    ]);
    expect(seen[1]![1].state).toBe('connecting');
    // `since` moves with the state, not with the error text.
    expect(seen[2]![0].since).toBe(seen[1]![0].since);
  });

  it('keeps the last error across non-connected states unless told otherwise', () => {
    const p = new Probe({ clock: clockAt(0) });
    p.set('error', 'refused');
    p.set('connecting');
    expect(p.health().lastError).toBe('refused');
    p.set('disconnected', null);
    expect(p.health().lastError).toBeNull();
  });

  it('records latency as a whole non-negative number without emitting', () => {
    const p = new Probe({ clock: clockAt(0) });
    let emitted = 0;
    p.on('state', () => emitted++);
    p.latency(12.6);
    expect(p.health().latencyMs).toBe(13);
    p.latency(-4);
    expect(p.health().latencyMs).toBe(0);
    expect(emitted).toBe(0);
  });

  it('reports a repeated fault once per outage, again after recovery', () => {
    const p = new Probe({ clock: clockAt(0) });
    const faults: UpstreamFault[] = [];
    p.on('fault', (f) => faults.push(f));
    p.boom('refused');
    p.boom('refused');
    p.boom('refused');
    p.warn('odd frame');
    p.boom('refused');
    p.set('connected');
    p.boom('refused');
    expect(faults.map((f) => [f.component, f.severity, f.message])).toEqual([
      ['xapi', 'error', 'refused'], ['xapi', 'warning', 'odd frame'], ['xapi', 'error', 'refused'], ['xapi', 'error', 'refused'],
    ]);
    expect(faults[1]!.details).toEqual({ n: 1 });
    expect(p.health()).toMatchObject({ state: 'error', lastError: 'refused' });
  });
});
