// Settings → "Which relay": run this computer's own relay (IPC, today's
// behaviour), or be a client of a team relay (URL + sign-in). The password
// goes to the team relay once; the session and device tokens it answers stay
// in the main process's keychain, never in the page or the settings file.
import { useEffect, useState, type FormEvent } from 'react';
import type { DesktopOperations } from '../../relay/contract/ipc-channels.js';
import { teamRelayUrlProblem, type ClientModeView, type DesktopMode, type TeamSettingsView } from '../../relay/contract/ipc-team.js';
import { errorMessage } from '../client/relay-api-error.js';
import { ErrorState, Loading } from './page-state.js';

export interface RelayModeFormProps {
  desktop: DesktopOperations;
  /** Reloads the window so it picks the client of the new mode. */
  reload: () => void;
  /** Tells the page which mode is in force (it hides the PBX form in team mode). */
  onMode?: (mode: DesktopMode) => void;
}

export function RelayModeForm({ desktop, reload, onMode }: RelayModeFormProps) {
  const [current, setCurrent] = useState<ClientModeView | null>(null);
  const [team, setTeam] = useState<TeamSettingsView | null>(null);
  const [choice, setChoice] = useState<DesktopMode>('own');
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [urlTouched, setUrlTouched] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => {
    setLoadError(null);
    Promise.all([desktop.clientMode(), desktop.teamSettings()]).then(([mode, settings]) => {
      setCurrent(mode);
      setTeam(settings);
      setChoice(mode.mode);
      setUrl(settings.url);
      setUsername(settings.username ?? '');
      onMode?.(mode.mode);
    }, (err: unknown) => setLoadError(errorMessage(err)));
  };
  // Loaded once: polling would overwrite the person's typing.
  useEffect(load, [desktop]);

  if (!current || !team) {
    return (
      <section className="panel narrow" aria-labelledby="mode-title">
        <h2 id="mode-title">Which relay</h2>
        {loadError ? <ErrorState message={loadError} onRetry={load} /> : <Loading what="the relay mode" />}
      </section>
    );
  }

  const urlProblem = choice === 'team' ? teamRelayUrlProblem(url) : null;
  const showUrlProblem = urlProblem !== null && urlTouched;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    if (choice === 'team') {
      setUrlTouched(true);
      if (urlProblem) return;
      if (!username.trim() || !password) {
        setStatus({ ok: false, text: 'Enter your user name and password on the team relay.' });
        return;
      }
    }
    setBusy(true);
    try {
      const result = choice === 'team'
        ? await desktop.teamSignIn({ url: url.trim(), username: username.trim(), password })
        : await desktop.useOwnRelay();
      setPassword('');
      setStatus({ ok: true, text: result.mode === 'team' ? 'Signed in; the dashboard now shows the team relay.' : 'This computer runs its own relay again.' });
      if (result.reload) reload();
    } catch (err) {
      setStatus({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const unchangedOwn = choice === 'own' && current.mode === 'own';
  return (
    <form className="panel narrow stack-form" onSubmit={(e) => void submit(e)} aria-labelledby="mode-title" noValidate>
      <h2 id="mode-title">Which relay</h2>
      <p className="info-text" role="status">
        {current.mode === 'team'
          ? `Connected to the team relay ${current.url}${team.signedIn ? '' : ' (signed out)'}. This computer runs no relay of its own.`
          : 'This computer runs its own relay.'}
      </p>
      <fieldset className="field">
        <legend>Relay</legend>
        <label className="check">
          <input type="radio" name="relay-mode" checked={choice === 'own'} onChange={() => setChoice('own')} /> Run my own relay
        </label>
        <label className="check">
          <input type="radio" name="relay-mode" checked={choice === 'team'} onChange={() => setChoice('team')} /> Connect to a team relay
        </label>
      </fieldset>
      {choice === 'team' && (
        <>
          <div className="field">
            <label htmlFor="team-url">Team relay URL</label>
            <input id="team-url" type="url" value={url} placeholder="https://relay.example.com:8443" autoComplete="url"
              onChange={(e) => setUrl(e.target.value)} onBlur={() => setUrlTouched(true)}
              aria-invalid={showUrlProblem} aria-describedby="team-url-hint" />
            <span id="team-url-hint" className={showUrlProblem ? 'form-error' : 'hint'}>
              {showUrlProblem ? urlProblem : 'https:// is required unless the relay runs on this computer.'}
            </span>
          </div>
          <div className="field">
            <label htmlFor="team-username">User name</label>
            <input id="team-username" value={username} autoComplete="username" onChange={(e) => setUsername(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="team-password">Password</label>
            <input id="team-password" type="password" value={password} autoComplete="current-password"
              onChange={(e) => setPassword(e.target.value)} aria-describedby="team-password-hint" />
            <span id="team-password-hint" className="hint">Sent to the team relay to sign in; the session it answers is kept in the system keychain.</span>
          </div>
        </>
      )}
      {status && <p className={status.ok ? 'info-text' : 'form-error'} role={status.ok ? 'status' : 'alert'}>{status.text}</p>}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || unchangedOwn}>
          {busy ? 'Applying…' : choice === 'team' ? 'Sign in and connect' : 'Run my own relay'}
        </button>
      </div>
    </form>
  );
}
