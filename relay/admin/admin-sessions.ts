// Sign-in for the admin API: throttled password check, server-side session,
// and the session id (digest of the token) that marks the dashboard's
// WebSockets. A logout closes them through the session service's `revoked`
// event, as revoking an API key closes the key's sockets.
import type { LoginResponse } from '../contract/api-types.js';
import { sessionIdOf, type SessionService } from '../auth/session-service.js';
import type { UserService } from '../auth/user-service.js';
import type { AdminSessionInfo, AdminSessions } from '../http/http-deps.js';

export interface AdminSessionDeps {
  users: Pick<UserService, 'verifyLogin' | 'verifyPassword'>;
  sessions: Pick<SessionService, 'create' | 'authenticate' | 'revoke'>;
}

export function createAdminSessions(deps: AdminSessionDeps): AdminSessions {
  return {
    async login(username, password, address): Promise<LoginResponse> {
      const user = await deps.users.verifyLogin(username, password, address);
      const session = await deps.sessions.create(user, address);
      return { token: session.token, user: { username: user.username, role: user.role } };
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
