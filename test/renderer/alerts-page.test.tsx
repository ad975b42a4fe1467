// Alerts: the rule form refuses what the relay would (and says why, at the
// field), saves a valid rule, deletes after confirming; viewers see rules
// without controls; anyone acknowledges, and the history shows by whom and
// whether quiet hours silenced the notification.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import type { AlertRuleInput } from '../../relay/contract/supervisor-types.js';
import { AlertsPage } from '../../renderer/pages/alerts-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { alertEntry, queueFigures, type InMemorySupervisor } from './support/in-memory-supervisor.js';
import { renderWithClient } from './support/render-with-client.js';

const admin: AdminUser = { username: 'admin', role: 'admin' };
const viewer: AdminUser = { username: 'view', role: 'viewer' };

function open(user: AdminUser, prepare: (sup: InMemorySupervisor) => void = () => undefined): InMemorySupervisor {
  const client = new InMemoryRelayClient(user);
  const sup = client.supervisor;
  if (!sup) throw new Error('supervisor expected');
  prepare(sup);
  renderWithClient(<AlertsPage />, client, user);
  return sup;
}

const ruleInput: AlertRuleInput = {
  name: 'Sales backlog', kind: 'calls_waiting', threshold: 5, queueId: 1, severity: 'critical',
  quietHours: [{ days: [0, 6], from: '20:00', to: '08:00' }], cooldownS: 600, enabled: true,
};

afterEach(() => cleanup());

describe('AlertsPage rules', () => {
  it('explains each invalid field and sends nothing', async () => {
    const sup = open(admin);
    fireEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Kind'), { target: { value: 'service_level' } });
    fireEvent.change(within(dialog).getByLabelText('Threshold (%)'), { target: { value: '150' } });
    fireEvent.change(within(dialog).getByLabelText('Cool-down (seconds)'), { target: { value: '-5' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add a quiet window' }));
    const window1 = within(dialog).getByRole('group', { name: 'Quiet window 1' });
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) fireEvent.click(within(window1).getByLabelText(day));
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Save rule' })));

    expect(within(dialog).getByText('Give the rule a name.')).toBeTruthy();
    expect(within(dialog).getByText('A service level is between 0 and 100 %.')).toBeTruthy();
    expect(within(dialog).getByText('Enter whole seconds, 0 or more.')).toBeTruthy();
    expect(within(dialog).getByText('Pick at least one day.')).toBeTruthy();
    expect(within(dialog).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByLabelText('Name').getAttribute('aria-describedby')).toContain('error');
    expect(sup.log).toEqual([]);
  });

  it('creates a rule with its queue, quiet hours and cool-down', async () => {
    const sup = open(admin, (s) => {
      s.queueList = [queueFigures({ id: 1, name: 'Sales' })];
    });
    fireEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    const dialog = screen.getByRole('dialog');
    await screen.findByRole('option', { name: 'Sales (801)' });
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: ' Sales backlog ' } });
    fireEvent.change(within(dialog).getByLabelText('Threshold (calls)'), { target: { value: '5' } });
    fireEvent.change(within(dialog).getByLabelText('Queue'), { target: { value: '1' } });
    fireEvent.change(within(dialog).getByLabelText('Severity'), { target: { value: 'critical' } });
    fireEvent.change(within(dialog).getByLabelText('Cool-down (seconds)'), { target: { value: '600' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add a quiet window' }));
    const window1 = within(dialog).getByRole('group', { name: 'Quiet window 1' });
    for (const day of ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']) fireEvent.click(within(window1).getByLabelText(day));
    fireEvent.change(within(window1).getByLabelText('From'), { target: { value: '20:00' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Save rule' })));

    expect(sup.log).toEqual([{ op: 'createAlertRule', args: [ruleInput] }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const row = (await screen.findByText('Sales backlog', { selector: 'td' })).closest('tr');
    expect(row?.textContent).toContain('Fires when calls waiting exceed 5 calls');
    expect(row?.textContent).toContain('Sales (801)');
    expect(row?.textContent).toContain('Sun, Sat 20:00–08:00');
  });

  it('edits and deletes a rule after confirming', async () => {
    const sup = open(admin, (s) => void s.createAlertRule(ruleInput));
    fireEvent.click(await screen.findByRole('button', { name: 'Edit Sales backlog' }));
    const dialog = screen.getByRole('dialog');
    expect((within(dialog).getByLabelText('Name') as HTMLInputElement).value).toBe('Sales backlog');
    fireEvent.change(within(dialog).getByLabelText('Threshold (calls)'), { target: { value: '8' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Save rule' })));
    expect(sup.log.at(-1)).toEqual({ op: 'updateAlertRule', args: [1, { ...ruleInput, threshold: 8 }] });

    fireEvent.click(await screen.findByRole('button', { name: 'Delete Sales backlog' }));
    await act(async () => fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Delete rule' })));
    expect(sup.log.at(-1)).toEqual({ op: 'deleteAlertRule', args: [1] });
    expect(await screen.findByText('No alert rules.')).toBeTruthy();
  });

  it('shows a viewer the rules without controls', async () => {
    open(viewer, (s) => {
      s.rules = [{ ...ruleInput, id: 1, createdBy: 'admin', createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' }];
    });
    expect(await screen.findByText('Sales backlog', { selector: 'td' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New rule' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit|Delete/ })).toBeNull();
  });
});

describe('AlertsPage history', () => {
  it('acknowledges an alert and shows by whom; marks a silenced one', async () => {
    const sup = open(viewer, (s) => {
      s.history = [
        alertEntry({ id: 2, rule: 'Trunk down', message: 'Trunk SIP-1 unregistered', silenced: true, state: 'cleared', clearedAt: new Date().toISOString() }),
        alertEntry({ id: 1, rule: 'Sales backlog', message: '6 calls waiting in Sales' }),
      ];
    });
    const trunk = (await screen.findByText('Trunk SIP-1 unregistered')).closest('tr');
    expect(trunk?.textContent).toContain('Silenced (quiet hours)');
    expect(trunk?.textContent).toContain('Cleared');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Acknowledge Sales backlog' })));
    expect(sup.log).toEqual([{ op: 'acknowledgeAlert', args: [1] }]);
    await waitFor(() => {
      const sales = screen.getByText('6 calls waiting in Sales').closest('tr');
      expect(sales?.textContent).toContain('Acknowledged');
      expect(sales?.textContent).toContain('by view at');
    });
    expect(screen.queryByRole('button', { name: 'Acknowledge Sales backlog' })).toBeNull();
  });
});
