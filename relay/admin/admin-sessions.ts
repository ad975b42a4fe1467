// Sign-in for the admin API: throttled password check, server-side session,
// and the session id (digest of the token) that marks the dashboard's
// WebSockets. A logout closes them through the session service's `revoked`
// event, as revoking an API key closes the key's sockets.
import type { AdminUser, LoginResponse } from '../contract/api-types.js';
import { sessionIdOf, type SessionService } from '../auth/session-service.js';
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
}

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
    },
    verifyPassword: (username, password) => deps.users.verifyPassword(username, password),
  };
}
