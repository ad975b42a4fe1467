// Admin users: listing, creation, removal (never the last admin), password
// changes (which end the user's sessions), login verification with
// throttling, and the first-start bootstrap of `admin`.
import crypto from 'node:crypto';
import type { AdminUserInfo, Role } from '../contract/api-types.js';
import { createUserBody, loginBody, password as passwordSchema } from '../contract/schemas.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { RelayError } from '../core/relay-error.js';
import { isoAt } from '../store/store-schema.js';
import { isUniqueViolation } from '../store/unique-violation.js';
import type { UserRepository } from '../store/user-repository.js';
import { parseInput } from '../core/parse-input.js';
import type { PasswordHasher } from './password-hasher.js';
import type { SessionService, SessionUser } from './session-service.js';
import type { SignInAttempt, SignInGuard } from './sign-in-guard.js';
import { canonicalUsername } from './username.js';

export const BOOTSTRAP_ADMIN_USERNAME = 'admin';
const LOGIN_FAILED = 'wrong username or password';
const ADMIN_NAME_TAKEN = 'no admin user exists and the name "admin" is taken by a viewer; remove it or create an admin';

export interface UserServiceDeps {
  users: UserRepository;
  sessions: SessionService;
  hasher: PasswordHasher;
  guard: SignInGuard;
  clock: Clock;
  logger: Logger;
}

export interface VerifiedLogin {
  user: SessionUser;
  /** A fresh device token for the browser that signed in (contract §5). */
  deviceToken: string;
}

export type BootstrapResult =
  | { created: false }
  /** `generatedPassword` is set only when no password was given: print it once, never log it. */
  | { created: true; username: string; generatedPassword?: string };

export class UserService {
  /** The first admin being hashed and stored (beginBootstrap); settled otherwise. */
  private bootstrapping: Promise<void> = Promise.resolve();

  constructor(private readonly deps: UserServiceDeps) {}

  async list(): Promise<AdminUserInfo[]> {
    await this.bootstrapping;
    return this.deps.users.list();
  }

  async get(username: string): Promise<SessionUser | null> {
    await this.bootstrapping;
    const name = canonicalUsername(username);
    const u = name === null ? null : await this.deps.users.findByUsername(name);
    return u ? { id: u.id, username: u.username, role: u.role } : null;
  }

  /** 400 on invalid input, 409 when the username is taken. */
  async create(username: string, password: string, role: Role): Promise<AdminUserInfo> {
    await this.bootstrapping;
    const input = parseInput(createUserBody, { username, password, role }, 'user');
    const passwordHash = await this.deps.hasher.hash(input.password);
    try {
      const u = await this.deps.users.insert({ username: input.username, passwordHash, role: input.role, at: isoAt(this.deps.clock.now()) });
      this.deps.logger.info('admin user created', { username: u.username, role: u.role });
      return { username: u.username, role: u.role, createdAt: u.createdAt, lastLoginAt: u.lastLoginAt };
    } catch (e) {
      if (isUniqueViolation(e)) throw RelayError.conflict(`a user named ${input.username} already exists`);
      throw e;
    }
  }

  /** 404 unknown user, 409 last admin. Sessions go with the user (ON DELETE CASCADE). */
  async remove(username: string): Promise<void> {
    await this.bootstrapping;
    const result = await this.deps.users.removeUnlessLastAdmin(username);
    if (result === 'not_found') throw RelayError.notFound(`no user named ${username}`);
    if (result === 'last_admin') throw RelayError.conflict('the last admin cannot be removed; add another admin first');
    // The rows are gone already; this announces it, so the user's sockets close.
    await this.deps.sessions.revokeAllFor(username);
    this.deps.logger.info('admin user removed', { username });
  }

  /** Sets a new password and signs the user out everywhere. 400 weak password, 404 unknown user. */
  async setPassword(username: string, password: string): Promise<void> {
    await this.bootstrapping;
    const pw = parseInput(passwordSchema, password, 'password');
    const hash = await this.deps.hasher.hash(pw);
    if (!(await this.deps.users.setPasswordHash(username, hash, isoAt(this.deps.clock.now())))) {
      throw RelayError.notFound(`no user named ${username}`);
    }
    await this.deps.sessions.revokeAllFor(username);
    this.deps.logger.info('admin password changed', { username });
  }

  /**
   * The current-password check of a password change, throttled like a
   * sign-in from an untrusted client (it is the same oracle): 429 when the
   * account's shared budget says wait. False for a wrong password or a name
   * that is no account.
   */
  async verifyPassword(username: string, password: string): Promise<boolean> {
    await this.bootstrapping;
    const name = canonicalUsername(username);
    const u = name === null ? null : await this.deps.users.findByUsername(name);
    if (!u) return this.deps.hasher.verifyNothing(password);
    return this.checkCharged(await this.deps.guard.begin(u.username), password, u.passwordHash);
  }

  /**
   * Login check: 400 for input that can never be a password (over 72 bytes),
   * 429 (LoginThrottledError) when the budget this attempt spends says wait
   * (the device's own when `deviceToken` is valid for the user, else the
   * account's), 401 with one message for an unknown user and a wrong password
   * alike, after the same bcrypt work in both cases. An unknown name is
   * charged to no account, and is never logged (it may be a password typed
   * into the wrong field).
   */
  async verifyLogin(username: string, password: string, deviceToken?: string): Promise<VerifiedLogin> {
    await this.bootstrapping;
    parseInput(loginBody, { username, password, ...(deviceToken === undefined ? {} : { deviceToken }) }, 'login');
    const name = canonicalUsername(username);
    const u = name === null ? null : await this.deps.users.findByUsername(name);
    if (!u) {
      await this.deps.hasher.verifyNothing(password);
      this.deps.logger.warn('admin login failed', { reason: 'unknown username' });
      throw RelayError.unauthorized(LOGIN_FAILED);
    }
    const attempt = await this.deps.guard.begin(u.username, deviceToken);
    if (!(await this.checkCharged(attempt, password, u.passwordHash))) {
      this.deps.logger.warn('admin login failed', { username: u.username, reason: 'wrong password', trustedDevice: attempt.trusted });
      throw RelayError.unauthorized(LOGIN_FAILED);
    }
    await this.deps.users.touchLogin(u.id, isoAt(this.deps.clock.now()));
    return { user: { id: u.id, username: u.username, role: u.role }, deviceToken: await this.deps.guard.issueDeviceToken(u.username) };
  }

  /** Compares for an admitted attempt: a device it came from is served first; a check that never ran is not a guess. */
  private async checkCharged(attempt: SignInAttempt, password: string, hash: string): Promise<boolean> {
    let ok: boolean;
    try {
      ok = await this.deps.hasher.verify(password, hash, attempt.trusted ? 'priority' : 'open');
    } catch (e) {
      await this.deps.guard.abandoned(attempt);
      throw e;
    }
    if (ok) await this.deps.guard.succeeded(attempt);
    return ok;
  }
  /**
   * First start: when no admin exists, create `admin` with `envPassword`
   * (RELAY_ADMIN_PASSWORD) or a generated one-time password returned to the
   * caller to print once.
   */
  /** First start: creates `admin` when no admin exists (409 when a viewer holds the name). */
  async bootstrapAdmin(envPassword?: string): Promise<BootstrapResult> {
    const begun = await this.beginBootstrap(envPassword);
    await begun.stored;
    return begun.result;
  }

  /**
   * The bootstrap in two parts, so the relay can listen while bcrypt works:
   * what can refuse the start (a bad RELAY_ADMIN_PASSWORD, a viewer called
   * `admin`) is settled before this resolves; `stored` hashes and inserts.
   * Until it settles, every other method of this service waits for it, so a
   * sign-in that arrives first finds the admin instead of a 401.
   */
  async beginBootstrap(envPassword?: string): Promise<{ result: BootstrapResult; stored: Promise<void> }> {
    if ((await this.deps.users.countAdmins()) > 0) return { result: { created: false }, stored: Promise.resolve() };
    const given = envPassword !== undefined && envPassword !== '';
    if (given) parseInput(passwordSchema, envPassword, 'RELAY_ADMIN_PASSWORD');
    // A viewer called `admin` exists but no admin: promote nothing silently, ask a person.
    if (await this.deps.users.findByUsername(BOOTSTRAP_ADMIN_USERNAME)) throw RelayError.conflict(ADMIN_NAME_TAKEN);
    const password = given ? envPassword : crypto.randomBytes(18).toString('base64url');
    const stored = this.storeBootstrap(password, given);
    this.bootstrapping = stored.catch(() => {});
    return {
      result: given ? { created: true, username: BOOTSTRAP_ADMIN_USERNAME } : { created: true, username: BOOTSTRAP_ADMIN_USERNAME, generatedPassword: password },
      stored,
    };
  }

  private async storeBootstrap(password: string, given: boolean): Promise<void> {
    const passwordHash = await this.deps.hasher.hash(password);
    const at = isoAt(this.deps.clock.now());
    try {
      await this.deps.users.insert({ username: BOOTSTRAP_ADMIN_USERNAME, passwordHash, role: 'admin', at });
    } catch (e) {
      if (isUniqueViolation(e)) throw RelayError.conflict(ADMIN_NAME_TAKEN);
      throw e;
    }
    this.deps.logger.info('first admin user created', { username: BOOTSTRAP_ADMIN_USERNAME, passwordSource: given ? 'RELAY_ADMIN_PASSWORD' : 'generated' });
  }
}
