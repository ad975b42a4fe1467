// Sign-in for the admin API: throttled password check, server-side session,
// and the session id (digest of the token) that marks the dashboard's
// WebSockets so a logout closes them.
import type { LoginResponse } from '../contract/api-types.js';
import type { SessionService } from '../auth/session-service.js';
import { sha256Hex } from '../auth/token-digest.js';
import type { UserService } from '../auth/user-service.js';
import type { AdminSessionInfo, AdminSessions } from '../http/http-deps.js';

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
