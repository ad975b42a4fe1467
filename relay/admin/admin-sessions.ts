// Sign-in for the admin API: throttled password check, server-side session,
// and the session id (digest of the token) that marks the dashboard's
// WebSockets so a logout closes them.
import type { AdminUser, LoginResponse } from '../contract/api-types.js';
import type { SessionService } from '../auth/session-service.js';
import { sha256Hex } from '../auth/token-digest.js';
import type { UserService } from '../auth/user-service.js';

export interface AdminSessionInfo { user: AdminUser; sessionId: string }

/** What the admin routes' sign-in, sign-out and password checks call. */
export interface AdminSessions {
  /** Throws RelayError 400 for a password over 72 bytes, 401 for bad credentials, 429 when throttled, 503 when the hasher is full. */
  login(credentials: { username: string; password: string; deviceToken?: string | undefined }, address: string): Promise<LoginResponse>;
  /** The signed-in user for a session token, or null (unknown, expired, revoked). */
  resolve(token: string): Promise<AdminSessionInfo | null>;
  logout(token: string): Promise<void>;
  /** Checks a user's current password (own password change); throttled like login (429). */
  verifyPassword(username: string, password: string): Promise<boolean>;
}

export interface AdminSessionDeps {
  users: Pick<UserService, 'verifyLogin' | 'verifyPassword'>;
  sessions: Pick<SessionService, 'create' | 'authenticate' | 'revoke'>;
  /** A session ended by logout: close its sockets, forget its tickets. */
  sessionEnded(sessionId: string): void;
}

export const sessionIdOf = (token: string): string => sha256Hex(token);

export function createAdminSessions(deps: AdminSessionDeps): AdminSessions {
  return {
    async login({ username, password, deviceToken }, address): Promise<LoginResponse> {
      const { user, deviceToken: nextDeviceToken } = await deps.users.verifyLogin(username, password, deviceToken);
      const session = await deps.sessions.create(user, address);
      return { token: session.token, user: { username: user.username, role: user.role }, deviceToken: nextDeviceToken };
    },
    async resolve(token): Promise<AdminSessionInfo | null> {
      const s = await deps.sessions.authenticate(token);
      return s ? { user: s.user, sessionId: sessionIdOf(token) } : null;
    },
    async logout(token) {
      await deps.sessions.revoke(token);
      deps.sessionEnded(sessionIdOf(token));
    },
    verifyPassword: (username, password) => deps.users.verifyPassword(username, password),
  };
}
