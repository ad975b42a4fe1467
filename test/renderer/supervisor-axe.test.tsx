// axe-core's WCAG 2 A/AA structure rules on the supervisor pages as they look
// with data (names, roles, list and definition-list structure, labels). The
// e2e audit in Chromium covers colour and layout, but until the relay serves
// queues it sees these pages only in their "not provided" state.
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { AgentsPage } from '../../renderer/pages/agents-page.js';
import { AlertsPage } from '../../renderer/pages/alerts-page.js';
import { OverviewPage } from '../../renderer/pages/overview-page.js';
import { WallboardPage } from '../../renderer/pages/wallboard-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { alertEntry, queueFigures, sourced } from './support/in-memory-supervisor.js';
import { renderWithClient } from './support/render-with-client.js';

const admin: AdminUser = { username: 'admin', role: 'admin' };

async function violations(): Promise<string[]> {
  // jsdom cannot compute colours: the Chromium audit (test/e2e) judges contrast.
  const result = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

function client(): InMemoryRelayClient {
  const c = new InMemoryRelayClient(admin);
  const sup = c.supervisor;
  if (!sup) throw new Error('supervisor expected');
  sup.queueList = [
    queueFigures({ id: 1, name: 'Sales', callsWaiting: sourced(2), longestWaitS: sourced(40), agentsAvailable: sourced(0) }),
    queueFigures({ id: 2, name: 'Support', callsWaiting: sourced(1, new Date(Date.now() - 90_000).toISOString(), true) }),
  ];
  sup.agentList = [{
    extension: '101', name: 'Ada', queueStatus: 'LoggedIn', queues: ['801'], registered: true, answeredToday: 3, asOf: new Date().toISOString(), stale: false,
    currentCall: { id: 1, party: '+442079460001', status: 'Talking', since: new Date(Date.now() - 30_000).toISOString() },
  }];
  sup.history = [alertEntry({ id: 1, rule: 'Sales backlog', message: '2 calls waiting' }), alertEntry({ id: 2, rule: 'Trunk', silenced: true, state: 'cleared' })];
  void sup.createAlertRule({
    name: 'Sales backlog', kind: 'calls_waiting', threshold: 1, queueId: 1, severity: 'critical',
    quietHours: [{ days: [0], from: '20:00', to: '08:00' }], cooldownS: 60, enabled: true,
  });
  return c;
}

afterEach(() => cleanup());

describe('supervisor pages with data (axe, structure rules)', () => {
  it('wallboard with tiles, stale figures and the alert banner', async () => {
    renderWithClient(<WallboardPage />, client(), admin);
    await screen.findAllByRole('article');
    await screen.findByRole('region', { name: 'Fired alerts' });
    expect(await violations()).toEqual([]);
  });

  it('agents with admin controls', async () => {
    renderWithClient(<AgentsPage />, client(), admin);
    await screen.findByText('Ada');
    expect(await violations()).toEqual([]);
  });

  it('alerts with rules, history and the rule form open', async () => {
    renderWithClient(<AlertsPage />, client(), admin);
    await screen.findByRole('button', { name: 'Edit Sales backlog' });
    expect(await violations()).toEqual([]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Edit Sales backlog' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save rule' })));
    expect(await violations()).toEqual([]);
  });

  it('overview with live PBX health', async () => {
    renderWithClient(<OverviewPage />, client(), admin);
    await screen.findByText('Trunks');
    expect(await violations()).toEqual([]);
  });
});
