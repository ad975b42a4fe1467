// Server-side admin sessions. The bearer token (random 256 bits) is returned
// once at login; the store keeps only its SHA-256, so a copy of the database
// cannot be replayed as a login. Expiry slides with use (idle timeout) but
// never past an absolute lifetime.
import { EventEmitter } from 'node:events';
import type { AdminUser } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { HOUR_MS } from '../core/time-units.js';
import type { SessionRepository } from '../store/session-repository.js';
import { isoAt } from '../store/store-schema.js';
import { randomToken, sha256Hex } from './token-digest.js';

export interface SessionServiceOptions {
  clock: Clock;
  logger: Logger;
  /** Idle timeout; default 12 h. */
  idleTtlMs?: number;
  /** Absolute lifetime from login; default 24 h. */
  absoluteTtlMs?: number;
  /** Extend the idle expiry at most this often, to avoid a write per request; default 60 s. */
  touchIntervalMs?: number;
}

export interface SessionUser {
  id: number;
  username: string;
  role: AdminUser['role'];
}

export interface AdminSession {
  user: AdminUser;
  expiresAt: string;
}

/** Which sessions ended: one (logout), or every one of a user (password change, removal). */
export type SessionRevocation = { sessionId: string } | { username: string };

export type SessionServiceEvents = {
  /** Sessions ended: close their open WebSockets, as a revoked API key does. */
  revoked: [revocation: SessionRevocation];
};

/** The id that marks a session's dashboard sockets: the digest of its token (what the store keeps). */
export const sessionIdOf = (token: string): string => sha256Hex(token);

export interface CreatedSession {
  /** Shown once (in the login response); never stored. */
  token: string;
  expiresAt: string;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class SessionService extends EventEmitter<SessionServiceEvents> {
  private readonly idleTtlMs: number;
  private readonly absoluteTtlMs: number;
  private readonly touchIntervalMs: number;
  /**
   * Sessions this relay authenticated and has not seen end, with their user:
   * the ones that may hold open WebSockets here. resync() checks them.
   */
  private readonly verified = new Map<string, string>();

  constructor(private readonly sessions: SessionRepository, private readonly opts: SessionServiceOptions) {
    super();
    this.idleTtlMs = opts.idleTtlMs ?? 12 * HOUR_MS;
    this.absoluteTtlMs = opts.absoluteTtlMs ?? 24 * HOUR_MS;
    this.touchIntervalMs = opts.touchIntervalMs ?? 60_000;
  }

  async create(user: SessionUser, address: string | null = null): Promise<CreatedSession> {
    const now = this.opts.clock.now();
    const token = randomToken();
    const absolute = now + this.absoluteTtlMs;
    const expiresAt = isoAt(Math.min(now + this.idleTtlMs, absolute));
    await this.sessions.insert({
      tokenHash: sha256Hex(token),
      userId: user.id,
      at: isoAt(now),
      expiresAt,
      absoluteExpiresAt: isoAt(absolute),
      address,
    });
    this.opts.logger.info('admin session created', { username: user.username, address });
    return { token, expiresAt };
  }

  /** The session's user, or null for an unknown, expired or revoked token. */
  async authenticate(token: string): Promise<AdminSession | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const now = this.opts.clock.now();
    const hash = sha256Hex(token);
    const s = await this.sessions.findActive(hash, isoAt(now));
    if (!s) return null;
    let expiresAt = s.expiresAt;
    if (now - Date.parse(s.lastSeenAt) >= this.touchIntervalMs) {
      expiresAt = isoAt(Math.min(now + this.idleTtlMs, Date.parse(s.absoluteExpiresAt)));
      await this.sessions.extend(hash, isoAt(now), expiresAt);
    }
    this.verified.set(hash, s.username);
    return { user: { username: s.username, role: s.role }, expiresAt };
  }

  /** Logout; emits `revoked`. False when the token was not a live session. */
  async revoke(token: string): Promise<boolean> {
    if (!TOKEN_PATTERN.test(token)) return false;
    const sessionId = sessionIdOf(token);
    const ended = await this.sessions.delete(sessionId);
    this.verified.delete(sessionId);
    // Also when the row was already gone (expired): its sockets may still be open.
    this.emit('revoked', { sessionId });
    return ended;
  }

  /** Every session of the user (password change, removal); emits `revoked`. Returns how many. */
  async revokeAllFor(username: string): Promise<number> {
    const n = await this.sessions.deleteForUser(username);
    if (n > 0) this.opts.logger.info('admin sessions revoked', { username, count: n });
    this.forgetVerified({ username });
    this.emit('revoked', { username });
    return n;
  }

  /**
   * Another relay of the team ended these sessions. Nothing is cached here
   * (authenticate() reads the store each time), but their WebSockets on
   * this relay must close: emits `revoked` as a local revocation does.
   */
  forgetRevoked(revocation: SessionRevocation): void {
    this.forgetVerified(revocation);
    this.emit('revoked', revocation);
  }

  /**
   * Revocations made elsewhere may have gone unheard (the team bus lost its
   * connection): emits `revoked` for each session this relay authenticated
   * that the store no longer holds live (ended, or expired meanwhile), so its
   * WebSockets close. Returns how many.
   */
  async resync(): Promise<number> {
    const now = isoAt(this.opts.clock.now());
    let gone = 0;
    for (const sessionId of [...this.verified.keys()]) {
      if (await this.sessions.findActive(sessionId, now)) continue;
      this.verified.delete(sessionId);
      gone++;
      this.emit('revoked', { sessionId });
    }
    if (gone) this.opts.logger.info('admin sessions ended elsewhere while the team bus was away', { count: gone });
    return gone;
  }

  private forgetVerified(revocation: SessionRevocation): void {
    if ('sessionId' in revocation) {
      this.verified.delete(revocation.sessionId);
      return;
    }
    for (const [id, username] of this.verified) if (username === revocation.username) this.verified.delete(id);
  }
}
