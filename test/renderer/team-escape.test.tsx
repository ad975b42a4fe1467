// The desktop as a team relay's client that cannot get in: Settings sit
// behind the sign-in, so the login page and the "cannot reach" page offer
// the way back to this computer's own relay. A browser never sees it.
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import type { DesktopOperations } from '../../relay/contract/ipc-channels.js';
import { App } from '../../renderer/app/app.js';
import { RelayApiError } from '../../renderer/client/relay-api-error.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';

const admin: AdminUser = { username: 'ann', role: 'admin' };

class RefusingClient extends InMemoryRelayClient {
  constructor(private readonly refusal: RelayApiError) {
    super(admin);
  }
  override async me(): Promise<AdminUser> {
    throw this.refusal;
  }
}

function teamDesktop() {
  const calls: string[] = [];
  const desktop = {
    useOwnRelay: async () => {
      calls.push('useOwnRelay');
      return { mode: 'own' as const, reload: true };
    },
  } as unknown as DesktopOperations;
  return { calls, desktop };
}

afterEach(cleanup);

describe('the way back from a team relay', () => {
  it('on the sign-in page: switches to the own relay and reloads', async () => {
    const client = new RefusingClient(new RelayApiError('Sign in first.', 'unauthorized', 401));
    const team = teamDesktop();
    client.desktop = team.desktop;
    let reloads = 0;
    render(<App client={client} reload={() => void reloads++} />);
    await screen.findByRole('button', { name: 'Sign in' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run my own relay instead' })));
    expect(team.calls).toEqual(['useOwnRelay']);
    expect(reloads).toBe(1);
  });

  it('when the team relay does not answer', async () => {
    const client = new RefusingClient(new RelayApiError('Cannot reach the relay. Is it running?', 'unreachable', 0));
    client.desktop = teamDesktop().desktop;
    render(<App client={client} reload={() => undefined} />);
    await screen.findByText('Cannot reach the relay. Is it running?');
    expect(screen.getByRole('button', { name: 'Run my own relay instead' })).toBeTruthy();
  });

  it('not in a browser', async () => {
    render(<App client={new RefusingClient(new RelayApiError('Sign in first.', 'unauthorized', 401))} />);
    await screen.findByRole('button', { name: 'Sign in' });
    expect(screen.queryByRole('button', { name: 'Run my own relay instead' })).toBeNull();
  });
});
