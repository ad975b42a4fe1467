// Desktop settings: secrets are write-only (an empty field keeps the stored
// one and is never sent back), the CDR source is either a URL or an ini path,
// and "Test connection" shows one line per component.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionTestResult, DesktopOperations, DesktopSettingsInput, DesktopSettingsView } from '../../relay/contract/ipc-channels.js';
import type { ClientModeView, ModeChangeResult, TeamHttpRequest, TeamHttpResponse, TeamSignInInput } from '../../relay/contract/ipc-team.js';
import { RelayApiError } from '../../renderer/client/relay-api-error.js';
import { SettingsPage } from '../../renderer/pages/settings-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const admin = { username: 'local', role: 'admin' as const };

class DesktopSettingsDouble implements DesktopOperations {
  saved: DesktopSettingsInput[] = [];
  tested: DesktopSettingsInput[] = [];
  view: DesktopSettingsView = {
    pbxUrl: 'https://pbx.example.com', clientId: 'relay', hasClientSecret: true, cdrDbUrl: 'postgres://logsreader_single@127.0.0.1:5480/database_single',
    hasCdrPassword: true, pbxIniPath: '', relayPort: 8082, autostart: false, secretStorage: 'keychain',
  };
  async getSettings() { return this.view; }
  async saveSettings(input: DesktopSettingsInput) {
    this.saved.push(input);
    this.view = { ...this.view, ...input, hasClientSecret: this.view.hasClientSecret || !!input.clientSecret };
    return this.view;
  }
  async testConnection(input: DesktopSettingsInput): Promise<ConnectionTestResult[]> {
    this.tested.push(input);
    return [
      { component: 'xapi', ok: true, latencyMs: 42, message: 'token accepted' },
      { component: 'callcontrol', ok: true, latencyMs: 12, message: 'socket open' },
      { component: 'database', ok: false, latencyMs: null, message: 'connection refused on 127.0.0.1:5480' },
    ];
  }
  async startDemo() {}
  async openLogsFolder() {}
  async relayUrl() { return 'http://127.0.0.1:8082'; }
  async exportCdrCsv() { return null; }
  mode: ClientModeView = { mode: 'own' };
  signIns: TeamSignInInput[] = [];
  leftTeam = 0;
  /** What the team relay answers a sign-in: null = accepted. */
  refuseSignIn: RelayApiError | null = null;
  async clientMode() { return this.mode; }
  async teamSettings() {
    return { url: this.mode.mode === 'team' ? this.mode.url : '', username: this.signIns.at(-1)?.username ?? null, signedIn: this.mode.mode === 'team' };
  }
  async teamSignIn(input: TeamSignInInput): Promise<ModeChangeResult> {
    this.signIns.push(input);
    if (this.refuseSignIn) throw this.refuseSignIn;
    this.mode = { mode: 'team', url: new URL(input.url).origin };
    return { mode: 'team', reload: true };
  }
  async useOwnRelay(): Promise<ModeChangeResult> {
    this.leftTeam += 1;
    this.mode = { mode: 'own' };
    return { mode: 'own', reload: true };
  }
  async teamRequest(_request: TeamHttpRequest): Promise<TeamHttpResponse> {
    throw new Error('the settings page sends no team requests');
  }
}

function desktopClient(ops: DesktopSettingsDouble): InMemoryRelayClient {
  const client = new InMemoryRelayClient(admin);
  client.desktop = ops;
  return client;
}

describe('SettingsPage', () => {
  afterEach(cleanup);

  it('says why the keychain is not used, next to the secret field', async () => {
    const ops = new DesktopSettingsDouble();
    ops.view = { ...ops.view, secretStorage: 'encrypted-file', keychainUnavailable: 'the optional keytar package is not installed' };
    renderWithClient(<SettingsPage />, desktopClient(ops), admin);
    await screen.findByLabelText('Client secret');
    expect(document.getElementById('set-client-secret-hint')?.textContent)
      .toMatch(/encrypted on this computer.*\(keychain unavailable: the optional keytar package is not installed\)/);
  });

  it('keeps stored secrets unless a new one is typed', async () => {
    const ops = new DesktopSettingsDouble();
    renderWithClient(<SettingsPage />, desktopClient(ops), admin);
    const secret = await screen.findByLabelText<HTMLInputElement>('Client secret');
    expect(secret.value).toBe('');
    expect(secret.placeholder).toMatch(/Stored/);

    fireEvent.change(screen.getByLabelText('Client ID'), { target: { value: 'relay2' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })));
    expect(ops.saved[0]).not.toHaveProperty('clientSecret');
    expect(ops.saved[0]).not.toHaveProperty('cdrPassword');
    expect(ops.saved[0]).toMatchObject({ clientId: 'relay2', relayPort: 8082, pbxIniPath: '' });
    await screen.findByText(/Settings saved/);

    fireEvent.change(screen.getByLabelText('Client secret'), { target: { value: 's3cret-value' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })));
    expect(ops.saved[1]).toMatchObject({ clientSecret: 's3cret-value' });
    // Never read back into the form.
    expect(screen.getByLabelText<HTMLInputElement>('Client secret').value).toBe('');
  });

  it('switches the CDR source to a 3CXPhoneSystem.ini path and explains the tunnel', async () => {
    const ops = new DesktopSettingsDouble();
    renderWithClient(<SettingsPage />, desktopClient(ops), admin);
    fireEvent.click(await screen.findByRole('radio', { name: /3CXPhoneSystem.ini/ }));
    expect(screen.queryByLabelText('Database URL')).toBeNull();
    fireEvent.change(screen.getByLabelText('Path to 3CXPhoneSystem.ini'), { target: { value: '/mnt/pbx/3CXPhoneSystem.ini' } });
    expect(screen.getByLabelText<HTMLInputElement>('Server section').placeholder).toBe('CfgServerProfile');
    fireEvent.change(screen.getByLabelText('Read-only user section'), { target: { value: ' DbReadOnly ' } });
    expect(screen.getByRole('note').textContent).toMatch(/127\.0\.0\.1:5480.*SSH tunnel.*pg_hba/s);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save settings' })));
    expect(ops.saved[0]).toMatchObject({
      pbxIniPath: '/mnt/pbx/3CXPhoneSystem.ini', cdrDbUrl: '', pbxIniSections: { server: '', database: '', readonly: 'DbReadOnly' },
    });
  });

  it('shows the connection test per component', async () => {
    const ops = new DesktopSettingsDouble();
    renderWithClient(<SettingsPage />, desktopClient(ops), admin);
    const test = await screen.findByRole('button', { name: 'Test connection' });
    await act(async () => fireEvent.click(test));
    const results = await screen.findByRole('list', { name: 'Connection test results' });
    const lines = within(results).getAllByRole('listitem').map((li) => li.textContent);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/Failed.*Call records DB.*connection refused/);
    expect(ops.tested).toHaveLength(1);
  });

  it('explains where settings live when there is no desktop app', async () => {
    renderWithClient(<SettingsPage />, new InMemoryRelayClient(admin), admin);
    expect(screen.getByText(/command-line flags/)).toBeTruthy();
  });
});

describe('SettingsPage: which relay', () => {
  afterEach(cleanup);

  const chooseTeam = async () => fireEvent.click(await screen.findByRole('radio', { name: 'Connect to a team relay' }));

  it('refuses a plain-http URL for a relay on another machine, and a URL with a path, before sending anything', async () => {
    const ops = new DesktopSettingsDouble();
    let reloads = 0;
    renderWithClient(<SettingsPage reload={() => void reloads++} />, desktopClient(ops), admin);
    await chooseTeam();
    const url = screen.getByLabelText<HTMLInputElement>('Team relay URL');
    fireEvent.change(url, { target: { value: 'http://relay.example.com:8082' } });
    fireEvent.blur(url);
    expect(url.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById('team-url-hint')?.textContent).toMatch(/must use https:\/\//);
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'ann' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'pw' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in and connect' })));
    expect(ops.signIns).toEqual([]);

    fireEvent.change(url, { target: { value: 'https://relay.example.com:8443/dashboard' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in and connect' })));
    expect(document.getElementById('team-url-hint')?.textContent).toMatch(/without a path/);
    expect(ops.signIns).toEqual([]);
    expect(reloads).toBe(0);
  });

  it('signs in over https (or http on loopback) and reloads into the team client', async () => {
    const ops = new DesktopSettingsDouble();
    let reloads = 0;
    renderWithClient(<SettingsPage reload={() => void reloads++} />, desktopClient(ops), admin);
    await chooseTeam();
    fireEvent.change(screen.getByLabelText('Team relay URL'), { target: { value: ' http://127.0.0.1:8082 ' } });
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'ann' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in and connect' })));
    expect(ops.signIns).toEqual([{ url: 'http://127.0.0.1:8082', username: 'ann', password: 'correct horse' }]);
    expect(reloads).toBe(1);
    expect(await screen.findByText(/Signed in; the dashboard now shows the team relay/)).toBeTruthy();
    // The password is gone from the form once sent.
    expect(screen.getByLabelText<HTMLInputElement>('Password').value).toBe('');
  });

  it("shows the team relay's refusal and stays on the own relay", async () => {
    const ops = new DesktopSettingsDouble();
    ops.refuseSignIn = new RelayApiError('Wrong username or password.', 'invalid_credentials', 401);
    let reloads = 0;
    renderWithClient(<SettingsPage reload={() => void reloads++} />, desktopClient(ops), admin);
    await chooseTeam();
    fireEvent.change(screen.getByLabelText('Team relay URL'), { target: { value: 'https://relay.example.com:8443' } });
    fireEvent.change(screen.getByLabelText('User name'), { target: { value: 'ann' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Sign in and connect' })));
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password.');
    expect(reloads).toBe(0);
  });

  it('in team mode says so, hides the demo, and switches back to the own relay', async () => {
    const ops = new DesktopSettingsDouble();
    ops.mode = { mode: 'team', url: 'https://relay.example.com:8443' };
    let reloads = 0;
    renderWithClient(<SettingsPage reload={() => void reloads++} />, desktopClient(ops), admin);
    expect(await screen.findByText(/Connected to the team relay https:\/\/relay.example.com:8443\. This computer runs no relay of its own/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try the demo PBX' })).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: 'Run my own relay' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run my own relay' })));
    expect(ops.leftTeam).toBe(1);
    expect(reloads).toBe(1);
  });

  it('in own mode offers no pointless switch', async () => {
    const ops = new DesktopSettingsDouble();
    renderWithClient(<SettingsPage />, desktopClient(ops), admin);
    expect((await screen.findByRole<HTMLButtonElement>('button', { name: 'Run my own relay' })).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Try the demo PBX' })).toBeTruthy();
  });
});
