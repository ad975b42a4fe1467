import { describe, expect, it } from 'vitest';
import { TicketStore, type WsPrincipal } from '../../../relay/http/ws/ticket-store.js';

const handClock = () => {
  let t = Date.parse('2026-11-02T09:00:00.000Z');
  return { now: () => t, setTimeout: () => ({ cancel() {} }), advance: (ms: number) => void (t += ms) };
};
const key: WsPrincipal = { kind: 'key', keyId: 'k1', permissions: ['read'] };

describe('TicketStore', () => {
  it('issues random 256-bit tickets that expire 30 s later', () => {
    const clock = handClock();
    const store = new TicketStore({ clock });
    const a = store.issue(key);
    const b = store.issue(key);
    expect(a.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.ticket).not.toBe(b.ticket);
    expect(a.expiresAt).toBe('2026-11-02T09:00:30.000Z');
  });

  it('redeems a ticket once', () => {
    const store = new TicketStore({ clock: handClock() });
    const { ticket } = store.issue(key);
    expect(store.redeem(ticket)).toEqual(key);
    expect(store.redeem(ticket)).toBeNull();
    expect(store.redeem('never-issued')).toBeNull();
  });

  it('refuses a ticket at or after its expiry', () => {
    const clock = handClock();
    const store = new TicketStore({ clock });
    const early = store.issue(key);
    const late = store.issue(key);
    clock.advance(29_999);
    expect(store.redeem(early.ticket)).toEqual(key);
    clock.advance(1);
    expect(store.redeem(late.ticket)).toBeNull();
  });

  it('forgets expired tickets and bounds the outstanding count', () => {
    const clock = handClock();
    const store = new TicketStore({ clock, maxOutstanding: 3 });
    const first = store.issue(key);
    store.issue(key);
    store.issue(key);
    store.issue(key);
    expect(store.outstanding).toBe(3);
    expect(store.redeem(first.ticket)).toBeNull(); // evicted as the oldest
    clock.advance(30_000);
    expect(store.outstanding).toBe(0);
  });

  it('revokeWhere drops a revoked key\'s outstanding tickets', () => {
    const store = new TicketStore({ clock: handClock() });
    const mine = store.issue(key);
    const other = store.issue({ kind: 'admin', username: 'admin', role: 'admin', sessionId: 's1' });
    expect(store.revokeWhere((p) => p.kind === 'key' && p.keyId === 'k1')).toBe(1);
    expect(store.redeem(mine.ticket)).toBeNull();
    expect(store.redeem(other.ticket)).toMatchObject({ kind: 'admin' });
  });
});
