// Desktop settings: where the PBX and its call records are, the local port,
// autostart. Secrets are write-only: the form never receives them back.
import { useEffect, useState, type FormEvent } from 'react';
import type { ConnectionTestResult, DesktopOperations, DesktopSettingsInput, DesktopSettingsView } from '../../relay/contract/ipc-channels.js';
import { errorMessage } from '../client/relay-api-error.js';
import { ConnectionTestResults } from '../components/connection-test-results.js';
import { ErrorState, Loading } from '../components/page-state.js';
import { RelayModeForm } from '../components/relay-mode-form.js';
import type { DesktopMode } from '../../relay/contract/ipc-team.js';
import { useRelayClient } from '../hooks/relay-context.js';

type CdrSource = 'url' | 'ini';

const SECRET_STORAGE_HINT: Record<NonNullable<DesktopSettingsView['secretStorage']>, string> = {
  keychain: 'Kept in the system keychain and never shown again.',
  'encrypted-file': 'Kept encrypted on this computer and never shown again.',
  'session-only': 'No secure store is available on this computer: secrets are kept only until the app closes, so enter them again after a restart.',
};

interface FormValues {
  pbxUrl: string;
  clientId: string;
  clientSecret: string;
  cdrSource: CdrSource;
  cdrDbUrl: string;
  cdrPassword: string;
  pbxIniPath: string;
  iniServerSection: string;
  iniDatabaseSection: string;
  iniReadonlySection: string;
  relayPort: string;
  autostart: boolean;
}

const INI_SECTION_FIELDS = [
  { key: 'iniServerSection', label: 'Server section', placeholder: 'CfgServerProfile' },
  { key: 'iniDatabaseSection', label: 'Database section', placeholder: 'QMDatabase' },
  { key: 'iniReadonlySection', label: 'Read-only user section', placeholder: 'DbAdminREADONLY' },
] as const;

function fromView(view: DesktopSettingsView): FormValues {
  return {
    pbxUrl: view.pbxUrl,
    clientId: view.clientId,
    clientSecret: '',
    cdrSource: view.pbxIniPath ? 'ini' : 'url',
    cdrDbUrl: view.cdrDbUrl,
    cdrPassword: '',
    pbxIniPath: view.pbxIniPath,
    iniServerSection: view.pbxIniSections?.server ?? '',
    iniDatabaseSection: view.pbxIniSections?.database ?? '',
    iniReadonlySection: view.pbxIniSections?.readonly ?? '',
    relayPort: String(view.relayPort),
    autostart: view.autostart,
  };
}

function toInput(values: FormValues): DesktopSettingsInput {
  return {
    pbxUrl: values.pbxUrl.trim(),
    clientId: values.clientId.trim(),
    // An empty secret field means "keep the stored one".
    ...(values.clientSecret ? { clientSecret: values.clientSecret } : {}),
    cdrDbUrl: values.cdrSource === 'url' ? values.cdrDbUrl.trim() : '',
    ...(values.cdrSource === 'url' && values.cdrPassword ? { cdrPassword: values.cdrPassword } : {}),
    pbxIniPath: values.cdrSource === 'ini' ? values.pbxIniPath.trim() : '',
    ...(values.cdrSource === 'ini'
      ? { pbxIniSections: { server: values.iniServerSection.trim(), database: values.iniDatabaseSection.trim(), readonly: values.iniReadonlySection.trim() } }
      : {}),
    relayPort: Number(values.relayPort),
    autostart: values.autostart,
  };
}

/** `reload` picks the new client after a mode change (tests pass their own). */
export function SettingsPage({ reload = () => window.location.reload() }: { reload?: () => void } = {}) {
  const client = useRelayClient();
  const desktop = client.desktop;
  if (!desktop) {
    return (
      <>
        <h1 tabIndex={-1}>Settings</h1>
        <p>Settings are changed in the desktop app, or with the relay's command-line flags when it runs headless.</p>
      </>
    );
  }
  return <SettingsForm desktop={desktop} reload={reload} />;
}

function SettingsForm({ desktop, reload }: { desktop: DesktopOperations; reload: () => void }) {
  const [mode, setMode] = useState<DesktopMode>('own');
  const [view, setView] = useState<DesktopSettingsView | null>(null);
  const [values, setValues] = useState<FormValues | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [tests, setTests] = useState<ConnectionTestResult[] | null>(null);
  const [busy, setBusy] = useState<null | 'save' | 'test' | 'demo'>(null);

  const load = () => {
    setLoadError(null);
    desktop.getSettings().then(
      (v) => { setView(v); setValues(fromView(v)); },
      (err: unknown) => setLoadError(errorMessage(err)),
    );
  };
  // Loaded once: the person is editing, polling would overwrite their typing.
  useEffect(load, [desktop]);

  if (!values || !view) {
    return (
      <>
        <h1 tabIndex={-1}>Settings</h1>
        {loadError ? <ErrorState message={loadError} onRetry={load} /> : <Loading what="settings" />}
      </>
    );
  }

  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues({ ...values, [key]: value });

  const act = async (kind: 'save' | 'test' | 'demo') => {
    setBusy(kind);
    setStatus(null);
    try {
      if (kind === 'save') {
        const saved = await desktop.saveSettings(toInput(values));
        setView(saved);
        setValues(fromView(saved));
        setStatus({ ok: true, text: 'Settings saved; the relay reconnects with them.' });
      } else if (kind === 'test') {
        setTests(null);
        setTests(await desktop.testConnection(toInput(values)));
      } else {
        await desktop.startDemo();
        setStatus({ ok: true, text: 'The demo PBX is running: open Active calls to watch it.' });
        const fresh = await desktop.getSettings();
        setView(fresh);
        setValues(fromView(fresh));
      }
    } catch (err) {
      setStatus({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void act('save');
  };

  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      <RelayModeForm desktop={desktop} reload={reload} onMode={setMode} />
      {mode === 'team' ? (
        <p className="panel narrow hint">
          The 3CX settings below belong to this computer's own relay: they are kept, and used again when you choose
          "Run my own relay". While connected to a team relay, the team's leader holds the 3CX connection.
        </p>
      ) : null}
      {mode === 'own' && <section className="panel narrow" aria-labelledby="demo-title">
        <h2 id="demo-title">No PBX at hand?</h2>
        <p>The demo runs a simulated 3CX with generated calls and months of call records on this computer.</p>
        {view.demo && <p className="info-text">The relay is running against the demo PBX right now.</p>}
        <button type="button" onClick={() => void act('demo')} disabled={busy !== null}>
          {busy === 'demo' ? 'Starting…' : 'Try the demo PBX'}
        </button>
      </section>}
      <form className="panel narrow stack-form" onSubmit={submit} aria-labelledby="pbx-title">
        <h2 id="pbx-title">3CX phone system</h2>
        <div className="field">
          <label htmlFor="set-pbx-url">PBX URL</label>
          <input id="set-pbx-url" type="url" value={values.pbxUrl} placeholder="https://pbx.example.com"
            onChange={(e) => set('pbxUrl', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="set-client-id">Client ID</label>
          <input id="set-client-id" value={values.clientId} autoComplete="off" onChange={(e) => set('clientId', e.target.value)}
            aria-describedby="set-client-id-hint" />
          <span id="set-client-id-hint" className="hint">3CX Admin Console → Integrations → API: a client with XAPI and Call Control access.</span>
        </div>
        <div className="field">
          <label htmlFor="set-client-secret">Client secret</label>
          <input id="set-client-secret" type="password" value={values.clientSecret} autoComplete="new-password"
            placeholder={view.hasClientSecret ? 'Stored — leave empty to keep it' : 'Not set'}
            onChange={(e) => set('clientSecret', e.target.value)} aria-describedby="set-client-secret-hint" />
          <span id="set-client-secret-hint" className="hint">
            {SECRET_STORAGE_HINT[view.secretStorage ?? 'keychain']}
            {view.keychainUnavailable ? ` (keychain unavailable: ${view.keychainUnavailable})` : ''}
          </span>
        </div>

        <fieldset className="field">
          <legend>Call records database</legend>
          <label className="check">
            <input type="radio" name="cdr-source" checked={values.cdrSource === 'url'} onChange={() => set('cdrSource', 'url')} /> Connection URL
          </label>
          <label className="check">
            <input type="radio" name="cdr-source" checked={values.cdrSource === 'ini'} onChange={() => set('cdrSource', 'ini')} /> Read from 3CXPhoneSystem.ini
          </label>
        </fieldset>
        {values.cdrSource === 'url' ? (
          <>
            <div className="field">
              <label htmlFor="set-cdr-url">Database URL</label>
              <input id="set-cdr-url" value={values.cdrDbUrl} placeholder="postgres://logsreader_single@127.0.0.1:5480/database_single"
                onChange={(e) => set('cdrDbUrl', e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="set-cdr-password">Database password</label>
              <input id="set-cdr-password" type="password" value={values.cdrPassword} autoComplete="new-password"
                placeholder={view.hasCdrPassword ? 'Stored — leave empty to keep it' : 'Not set'}
                onChange={(e) => set('cdrPassword', e.target.value)} />
            </div>
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor="set-ini">Path to 3CXPhoneSystem.ini</label>
              <input id="set-ini" value={values.pbxIniPath} placeholder="/var/lib/3cxpbx/Bin/3CXPhoneSystem.ini"
                onChange={(e) => set('pbxIniPath', e.target.value)} />
            </div>
            {/* 3CX's section names are not confirmed for every release: leave empty for the defaults. */}
            {INI_SECTION_FIELDS.map((f) => (
              <div className="field" key={f.key}>
                <label htmlFor={`set-${f.key}`}>{f.label}</label>
                <input id={`set-${f.key}`} value={values[f.key]} placeholder={f.placeholder} onChange={(e) => set(f.key, e.target.value)} />
              </div>
            ))}
          </>
        )}
        <p className="hint" role="note">
          3CX's PostgreSQL listens on 127.0.0.1:5480 on the PBX itself. From another computer, open an SSH tunnel
          (<code>ssh -L 5480:127.0.0.1:5480 root@pbx</code>) or allow this computer in the PBX's pg_hba.conf.
        </p>

        <h2>This computer</h2>
        <div className="field">
          <label htmlFor="set-port">Local relay port</label>
          <input id="set-port" type="number" min={1} max={65535} value={values.relayPort}
            onChange={(e) => set('relayPort', e.target.value)} />
        </div>
        <label className="check">
          <input type="checkbox" checked={values.autostart} onChange={(e) => set('autostart', e.target.checked)} /> Start with the computer
        </label>

        {status && <p className={status.ok ? 'info-text' : 'form-error'} role={status.ok ? 'status' : 'alert'}>{status.text}</p>}
        <div className="form-actions">
          <button type="button" onClick={() => void act('test')} disabled={busy !== null}>
            {busy === 'test' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="primary" disabled={busy !== null}>{busy === 'save' ? 'Saving…' : 'Save settings'}</button>
        </div>
        {tests && <ConnectionTestResults results={tests} />}
      </form>
    </>
  );
}
