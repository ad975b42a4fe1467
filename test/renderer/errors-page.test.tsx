// Errors page: filters narrow the feed, "acknowledge all visible" touches
// only what is shown, details expand, new errors arrive live.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorsPage } from '../../renderer/pages/errors-page.js';
import { errorEntry, InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const admin = { username: 'admin', role: 'admin' as const };

function seeded(): InMemoryRelayClient {
  const client = new InMemoryRelayClient(admin);
  client.errors = [
    errorEntry({ id: 4, message: 'Token endpoint refused the client', component: 'xapi', severity: 'critical', details: { status: 401 } }),
    errorEntry({ id: 3, message: 'Call Control socket closed', component: 'callcontrol', severity: 'warning' }),
    errorEntry({ id: 2, message: 'CDR query timed out', component: 'database', severity: 'error' }),
    errorEntry({ id: 1, message: 'Old resolved fault', component: 'xapi', severity: 'error', acknowledged: true, acknowledgedBy: 'eve' }),
  ];
  return client;
}

function messages(): string[] {
  const list = screen.queryByRole('list', { name: 'Errors' });
  if (!list) return [];
  return within(list).queryAllByRole('listitem').map((li) => li.querySelector('.error-message')?.textContent ?? '');
}

describe('ErrorsPage', () => {
  afterEach(cleanup);

  it('shows unacknowledged errors by default and filters by severity, component and status', async () => {
    const client = seeded();
    renderWithClient(<ErrorsPage />, client, admin);
    await waitFor(() => expect(messages()).toEqual(['Token endpoint refused the client', 'Call Control socket closed', 'CDR query timed out']));

    fireEvent.change(screen.getByLabelText('Severity'), { target: { value: 'critical' } });
    await waitFor(() => expect(messages()).toEqual(['Token endpoint refused the client']));
    expect(client.log.at(-1)).toEqual({ op: 'listErrors', args: [{ severity: 'critical', acknowledged: false, limit: 100 }] });

    fireEvent.change(screen.getByLabelText('Severity'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Component'), { target: { value: 'xapi' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });
    await waitFor(() => expect(messages()).toEqual(['Token endpoint refused the client', 'Old resolved fault']));

    fireEvent.change(screen.getByLabelText('Component'), { target: { value: 'store' } });
    await screen.findByText('No errors match these filters.');
  });

  it('acknowledges all visible errors and only those', async () => {
    const client = seeded();
    renderWithClient(<ErrorsPage />, client, admin);
    fireEvent.change(screen.getByLabelText('Component'), { target: { value: 'callcontrol' } });
    await waitFor(() => expect(messages()).toEqual(['Call Control socket closed']));
    const all = screen.getByRole('button', { name: 'Acknowledge all visible (1)' });
    await act(async () => all.click());
    await screen.findByText('No unacknowledged errors.');
    expect(client.log.filter((l) => l.op === 'acknowledgeError').map((l) => l.args[0])).toEqual([3]);
    expect(client.errors.filter((e) => !e.acknowledged).map((e) => e.id)).toEqual([4, 2]);
  });

  it('acknowledges one error from its row', async () => {
    const client = seeded();
    renderWithClient(<ErrorsPage />, client, admin);
    const button = await screen.findByRole('button', { name: 'Acknowledge: CDR query timed out' });
    await act(async () => button.click());
    await waitFor(() => expect(messages()).toEqual(['Token endpoint refused the client', 'Call Control socket closed']));
    expect(screen.getByText('Error acknowledged.')).toBeTruthy();
  });

  it('expands details on demand', async () => {
    renderWithClient(<ErrorsPage />, seeded(), admin);
    const toggle = (await screen.findAllByRole('button', { name: 'Details' }))[0]!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    const panel = document.getElementById(toggle.getAttribute('aria-controls')!)!;
    expect(panel.hidden).toBe(true);
    act(() => toggle.click());
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(panel.hidden).toBe(false);
    expect(panel.textContent).toContain('"status": 401');
  });

  it('shows a new error as soon as the relay reports it', async () => {
    const client = seeded();
    renderWithClient(<ErrorsPage />, client, admin);
    await waitFor(() => expect(messages()).toHaveLength(3));
    act(() => client.logError(errorEntry({ id: 9, message: 'Simulator dropped the socket', component: 'callcontrol' })));
    await waitFor(() => expect(messages()[0]).toBe('Simulator dropped the socket'));
  });
});
