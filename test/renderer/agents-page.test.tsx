// Agents: one row per agent with the current call ticking; an admin logs an
// agent out only after confirming, a viewer sees no controls; a row whose
// data is stale says since when.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import type { AgentState } from '../../relay/contract/supervisor-types.js';
import { AgentsPage } from '../../renderer/pages/agents-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const T0 = new Date(2026, 10, 3, 9, 30, 0).getTime();
const admin: AdminUser = { username: 'admin', role: 'admin' };
const viewer: AdminUser = { username: 'view', role: 'viewer' };

function agent(extension: string, name: string, partial: Partial<AgentState> = {}): AgentState {
  return {
    extension, name, queueStatus: 'LoggedIn', queues: ['800'], registered: true, currentCall: null, answeredToday: 4,
    asOf: new Date().toISOString(), stale: false, ...partial,
  };
}

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

function open(user: AdminUser, agents: AgentState[]): InMemoryRelayClient {
  const client = new InMemoryRelayClient(user);
  if (!client.supervisor) throw new Error('supervisor expected');
  client.supervisor.agentList = agents;
  renderWithClient(<AgentsPage />, client, user);
  return client;
}

const row = (name: string): HTMLElement => {
  const cell = screen.getByText(name, { selector: 'td' });
  const tr = cell.closest('tr');
  if (!tr) throw new Error('no row');
  return tr;
};

describe('AgentsPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows each agent with the current call\'s duration ticking', async () => {
    open(viewer, [
      agent('101', 'Ada', { currentCall: { id: 5, party: '+44 20 7946 0001', status: 'Talking', since: new Date(T0 - 65_000).toISOString() }, answeredToday: 12 }),
      agent('102', 'Ben', { queueStatus: 'LoggedOut', registered: false }),
    ]);
    await advance(0);
    const ada = within(row('Ada'));
    expect(ada.getByText('Logged in')).toBeTruthy();
    expect(ada.getByText('Registered')).toBeTruthy();
    expect(ada.getByText('+44 20 7946 0001 (Talking)')).toBeTruthy();
    expect(ada.getByText('1:05')).toBeTruthy();
    expect(ada.getByText('12')).toBeTruthy();
    await advance(2000);
    expect(ada.getByText('1:07')).toBeTruthy();
    expect(within(row('Ben')).getByText('Logged out')).toBeTruthy();
    expect(within(row('Ben')).getByText('Not registered')).toBeTruthy();
  });

  it('lets an admin log an agent out only after confirming', async () => {
    const client = open(admin, [agent('101', 'Ada')]);
    await advance(0);
    fireEvent.click(within(row('Ada')).getByRole('button', { name: 'Log out Ada' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('recorded with your name');
    expect(client.supervisor?.log).toEqual([]);
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Log out' })));
    expect(client.supervisor?.log).toEqual([{ op: 'setAgentQueueStatus', args: ['101', 'LoggedOut'] }]);
    expect(within(row('Ada')).getByText('Logged out')).toBeTruthy();
    expect(within(row('Ada')).getByRole('button', { name: 'Log in Ada' })).toBeTruthy();
  });

  it('gives a viewer no controls', async () => {
    open(viewer, [agent('101', 'Ada')]);
    await advance(0);
    expect(screen.getByText('Ada')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });

  it('greys out an agent whose data is stale, with since when', async () => {
    open(viewer, [agent('101', 'Ada', { asOf: new Date(T0 - 120_000).toISOString(), stale: true })]);
    await advance(0);
    expect(row('Ada').className).toContain('row-stale');
    expect(row('Ada').textContent).toContain('stale since 09:28');
  });
});
