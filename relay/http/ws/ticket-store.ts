// One-time tickets for browser WebSocket clients, which cannot set headers on
// an upgrade request: an authenticated POST /relay/ws-ticket (or
// /admin/ws-ticket) issues one, the upgrade presents it as `?ticket=`. A
// ticket is random, single-use and short-lived, so one leaking into a log or
// history is worthless moments later — unlike the API key it stands for.
import { randomBytes } from 'node:crypto';
import type { Permission, Role } from '../../contract/api-types.js';
import { systemClock, type Clock } from '../../core/clock.js';

/** Who a WebSocket connection acts for. */
export type WsPrincipal =
  | { kind: 'key'; keyId: string; permissions: readonly Permission[] }
  /** Dashboard sockets; they also receive `error_logged` frames. */
  | { kind: 'admin'; username: string; role: Role; sessionId?: string };

export interface IssuedTicket {
  ticket: string;
  /** ISO-8601. */
  expiresAt: string;
}

export interface TicketStoreOptions {
  clock?: Clock;
  /** Lifetime; the contract says 30 s. */
  ttlMs?: number;
  /** Unredeemed tickets kept at most; the oldest are dropped first (bounds memory under abuse). */
  maxOutstanding?: number;
}

interface Entry { principal: WsPrincipal; expiresAtMs: number }

export const TICKET_TTL_MS = 30_000;

export class TicketStore {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly maxOutstanding: number;
  // Insertion order is expiry order (fixed TTL), so expired ones sit at the front.
  private readonly tickets = new Map<string, Entry>();

  constructor(opts: TicketStoreOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.ttlMs = opts.ttlMs ?? TICKET_TTL_MS;
    this.maxOutstanding = opts.maxOutstanding ?? 10_000;
  }

  issue(principal: WsPrincipal): IssuedTicket {
    this.sweep();
    while (this.tickets.size >= this.maxOutstanding) {
      const oldest = this.tickets.keys().next();
      if (oldest.done) break;
      this.tickets.delete(oldest.value);
    }
    const ticket = randomBytes(32).toString('base64url');
    const expiresAtMs = this.clock.now() + this.ttlMs;
    this.tickets.set(ticket, { principal, expiresAtMs });
    return { ticket, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /** The ticket's principal, once; null when unknown, already used or expired. */
  redeem(ticket: string): WsPrincipal | null {
    const entry = this.tickets.get(ticket);
    if (!entry) return null;
    this.tickets.delete(ticket);
    return this.clock.now() < entry.expiresAtMs ? entry.principal : null;
  }

  /** Forgets outstanding tickets matching `pred` (a revoked key's, a logged-out session's). */
  revokeWhere(pred: (p: WsPrincipal) => boolean): number {
    let n = 0;
    for (const [ticket, entry] of this.tickets) {
      if (pred(entry.principal)) {
        this.tickets.delete(ticket);
        n++;
      }
    }
    return n;
  }

  get outstanding(): number {
    this.sweep();
    return this.tickets.size;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [ticket, entry] of this.tickets) {
      if (entry.expiresAtMs > now) break;
      this.tickets.delete(ticket);
    }
  }
}
