// The shell: a viewer sees no admin controls anywhere (the relay refuses them
// too), an admin does; the disconnected banner comes and goes with the link.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { App } from '../../renderer/app/app.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';

const now = Date.now();
const call = { Id: 11, Caller: '101', Callee: '+441632960001', Status: 'Talking', LastChangeStatus: new Date(now).toISOString(), EstablishedAt: new Date(now - 5000).toISOString(), ServerNow: new Date(now).toISOString() };

async function open(user: AdminUser, page: string): Promise<InMemoryRelayClient> {
  window.location.hash = `#/${page}`;
  const client = new InMemoryRelayClient(user);
  client.calls = [call];
  client.users = [{ username: 'admin', role: 'admin', createdAt: new Date(now).toISOString(), lastLoginAt: null }];
  render(<App client={client} />);
  await screen.findByRole('navigation', { name: 'Dashboard pages' });
  return client;
}

function navLabels(): string[] {
  return within(screen.getByRole('navigation', { name: 'Dashboard pages' })).getAllByRole('link').map((a) => a.textContent ?? '');
}

describe.each([
  { role: 'viewer' as const, admin: false },
  { role: 'admin' as const, admin: true },
])('as $role', ({ role, admin }) => {
  const user: AdminUser = { username: role === 'admin' ? 'admin' : 'val', role };
  afterEach(() => {
    cleanup();
    window.location.hash = '';
  });

  it(admin ? 'lists the admin pages' : 'hides the admin pages', async () => {
    await open(user, 'overview');
    expect(navLabels().includes('API keys')).toBe(admin);
    expect(navLabels()).toEqual(expect.arrayContaining(['Overview', 'Connections', 'Active calls', 'Errors', 'Users', 'Call records']));
    expect(navLabels()).not.toContain('Settings'); // desktop only
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeTruthy();
  });

  it(admin ? 'offers Drop on active calls' : 'offers no Drop on active calls', async () => {
    await open(user, 'calls');
    await screen.findByText('+441632960001');
    expect(screen.queryAllByRole('button', { name: /Drop call/ })).toHaveLength(admin ? 1 : 0);
  });

  it(admin ? 'offers Reconnect on connections' : 'offers no Reconnect on connections', async () => {
    await open(user, 'connections');
    await screen.findByRole('heading', { name: /3CX XAPI/ });
    expect(screen.queryAllByRole('button', { name: /^Reconnect/ })).toHaveLength(admin ? 3 : 0);
  });

  it(admin ? 'manages users' : 'only changes its own password', async () => {
    const client = await open(user, 'users');
    if (admin) {
      await screen.findByRole('button', { name: 'Reset password of admin' });
      expect(screen.getByRole('form', { name: 'Add a user' })).toBeTruthy();
    } else {
      await screen.findByText('Your account');
      expect(screen.queryByRole('form', { name: 'Add a user' })).toBeNull();
      expect(screen.queryByRole('table')).toBeNull();
      expect(client.log.some((l) => l.op === 'listUsers')).toBe(false);
      // The relay wants the current password before a viewer changes theirs.
      fireEvent.change(screen.getByLabelText('Current password'), { target: { value: 'old-password-1' } });
      fireEvent.change(screen.getByLabelText('New password for val'), { target: { value: 'new-password-12' } });
      fireEvent.change(screen.getByLabelText('Repeat the new password'), { target: { value: 'new-password-12' } });
      await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Change password' })));
      await screen.findByText('Password changed.');
      expect(client.log.find((l) => l.op === 'changeOwnPassword')?.args).toEqual(['val', 14, 15]);
    }
  });

  it(admin ? 'shows the key manager at #/keys' : 'falls back to the overview at #/keys', async () => {
    await open(user, 'keys');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(admin ? 'API keys' : 'Overview');
  });
});

describe('disconnected banner', () => {
  afterEach(cleanup);

  it('appears while the link reconnects and goes once it is live', async () => {
    const client = await open({ username: 'admin', role: 'admin' }, 'overview');
    expect(screen.queryByText(/Disconnected from relay/)).toBeNull();
    act(() => client.setLink('reconnecting'));
    const banner = screen.getByText(/Disconnected from relay — reconnecting/);
    expect(banner.closest('[aria-live="polite"]')).toBeTruthy();
    act(() => client.setLink('live'));
    await waitFor(() => expect(screen.queryByText(/Disconnected from relay/)).toBeNull());
  });
});
