// The settings page's team operations: which client the renderer uses, the
// sign-in to a team relay, leaving it, and the renderer's HTTP requests. The
// URL and user name go to settings.json; the session and device tokens go to
// the SecretStore only (team-credentials.ts). A mode change is applied at
// once (mode-switcher.ts) and the window reloads to pick its new client.
import type { ApiErrorBody } from '../../relay/contract/api-types.js';
import type { DesktopOperations } from '../../relay/contract/ipc-channels.js';
import { teamRelayOrigin, teamRelayUrlProblem, type ClientModeView } from '../../relay/contract/ipc-team.js';
import type { Logger } from '../../relay/core/logger.js';
import { RelayError, describeError } from '../../relay/core/relay-error.js';
import type { DesktopSettings, SettingsStore } from '../settings/settings-store.js';
import type { TeamCredentials } from './team-credentials.js';
import { createTeamGateway, type TeamGateway } from './team-gateway.js';

export type TeamOperations = Pick<DesktopOperations, 'clientMode' | 'teamSettings' | 'teamSignIn' | 'useOwnRelay' | 'teamRequest'>;

export interface TeamModeDeps {
  settings: SettingsStore;
  credentials: TeamCredentials;
  fetch: typeof fetch;
  /** Applies the mode now (stop/start the own relay, follow/unfollow the team). */
  apply: (mode: ClientModeView) => Promise<void>;
  logger: Logger;
  /** The page signed in to the team relay again (after its session ended). */
  onSignedIn?: () => void;
}

export interface TeamMode {
  operations: TeamOperations;
  /** The mode the settings ask for (read at start, then kept in step by the operations). */
  load(): Promise<ClientModeView>;
  /** The team relay's origin while in team mode, else null. */
  origin(): string | null;
  /** Requests to the current team relay with the kept session (for the team follower too). */
  gateway: TeamGateway;
}

/** Team mode only with a usable URL: a hand-edited settings file with a bad one runs the own relay. */
export function clientModeFrom(settings: DesktopSettings): ClientModeView {
  if (settings.mode === 'team' && settings.teamUrl && teamRelayUrlProblem(settings.teamUrl) === null) {
    return { mode: 'team', url: teamRelayOrigin(settings.teamUrl) };
  }
  return { mode: 'own' };
}

function relayRefusal(status: number, text: string): RelayError {
  let body: Partial<ApiErrorBody> = {};
  try {
    body = JSON.parse(text) as Partial<ApiErrorBody>;
  } catch {
    // not the contract's error shape
  }
  const message = typeof body.error === 'string' ? body.error : `the team relay answered ${status}`;
  const code = typeof body.code === 'string' ? body.code : 'team_sign_in_failed';
  // Keep 4xx as the relay said (401 wrong password, 429 locked); anything else is the relay's fault.
  return new RelayError(code, status >= 400 && status < 500 ? status : 502, message);
}

export function createTeamMode(deps: TeamModeDeps): TeamMode {
  let mode: ClientModeView = { mode: 'own' };
  const origin = () => (mode.mode === 'team' ? mode.url : null);
  const gateway = createTeamGateway({
    origin, credentials: deps.credentials, fetch: deps.fetch, ...(deps.onSignedIn ? { onSignedIn: deps.onSignedIn } : {}),
  });

  const load = async () => {
    mode = clientModeFrom(await deps.settings.load());
    return mode;
  };

  const operations: TeamOperations = {
    clientMode: async () => mode,

    async teamSettings() {
      const s = await deps.settings.load();
      return { url: s.teamUrl, username: s.teamUsername || null, signedIn: (await deps.credentials.session()) !== null };
    },

    async teamSignIn({ url, username, password }) {
      const target = teamRelayOrigin(url);
      const current = await deps.settings.load();
      // A device token is the relay's signature: one from another relay only gets in the way.
      if (current.teamUrl && current.teamUrl !== target) await deps.credentials.setDevice(null);
      const signIn = createTeamGateway({ origin: () => target, credentials: deps.credentials, fetch: deps.fetch });
      const answer = await signIn.request({ method: 'POST', path: '/admin/login', body: JSON.stringify({ username, password }) });
      if (answer.status !== 200) throw relayRefusal(answer.status, answer.body);
      await deps.settings.save({ ...current, mode: 'team', teamUrl: target, teamUsername: username });
      mode = { mode: 'team', url: target };
      await deps.apply(mode);
      deps.logger.info('connected to a team relay', { url: target, username });
      return { mode: 'team', reload: true };
    },

    async useOwnRelay() {
      const current = await deps.settings.load();
      if (mode.mode === 'team' && (await deps.credentials.session()) !== null) {
        // Best effort: the session ends on the relay too; an unreachable relay must not keep us in team mode.
        await gateway.request({ method: 'POST', path: '/admin/logout' }).catch((e: unknown) =>
          deps.logger.warn('could not sign out of the team relay', { error: describeError(e) }));
      }
      await deps.credentials.setSession(null);
      await deps.settings.save({ ...current, mode: 'own' });
      mode = { mode: 'own' };
      await deps.apply(mode);
      deps.logger.info('running the own relay again');
      return { mode: 'own', reload: true };
    },

    teamRequest: (request) => gateway.request(request),
  };

  return { operations, load, origin, gateway };
}
