// The Connections page's Team section (issue 14 item 6): every member with
// its role (the leader named in words), address, since when, lag and last
// heartbeat, "this relay" marked; nothing at all when the relay is not in a
// team. The health objects are shaped as relay/contract/api-types.ts'
// TeamHealth describes a three-relay team on one PostgreSQL.
import { cleanup, screen, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdminUser, Health, TeamHealth } from '../../relay/contract/api-types.js';
import { ConnectionsPage } from '../../renderer/pages/connections-page.js';
import { OverviewPage } from '../../renderer/pages/overview-page.js';
import { teamSummary } from '../../renderer/components/team-panel.js';
import { formatDateTime } from '../../renderer/components/format-time.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const admin: AdminUser = { username: 'admin', role: 'admin' };
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function threeRelays(): TeamHealth {
  return {
    self: 'relay-b:8443-7f2a',
    leader: 'relay-a:8443-19cd',
    upstreamConnections: 0,
    members: [
      { id: 'relay-c:8443-88e0', role: 'follower', since: ago(3_600_000), lagSeq: 12, url: 'https://relay-c.example.com:8443', seenAt: ago(4_000) },
      { id: 'relay-b:8443-7f2a', role: 'follower', since: ago(7_200_000), lagSeq: 0, url: 'https://relay-b.example.com:8443', seenAt: ago(1_000) },
      { id: 'relay-a:8443-19cd', role: 'leader', since: '2026-11-30T21:14:05.000Z', lagSeq: 0, url: 'https://relay-a.example.com:8443', seenAt: ago(2_000) },
    ],
  };
}

class TeamClient extends InMemoryRelayClient {
  constructor(private readonly team: TeamHealth | undefined) {
    super(admin);
  }
  override async health(): Promise<Health> {
    const base = await super.health();
    return this.team ? { ...base, team: this.team } : base;
  }
}

afterEach(() => cleanup());

describe('Team section on the Connections page', () => {
  it('lists every member, the leader first and named in words, this relay marked', async () => {
    const team = threeRelays();
    renderWithClient(<ConnectionsPage />, new TeamClient(team), admin);
    const table = await screen.findByRole('table', { name: 'Relays of the team' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual([
      'relay-a:8443-19cd', 'relay-b:8443-7f2a (this relay)', 'relay-c:8443-88e0',
    ]);
    const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);
    // The last-seen age is counted from the render: a slow machine may add a second.
    expect(cells(rows[0]!)).toEqual(['Leader', 'https://relay-a.example.com:8443', formatDateTime('2026-11-30T21:14:05.000Z'), '0', expect.stringMatching(/^[23] s ago$/)]);
    expect(cells(rows[2]!)).toEqual(['Follower', 'https://relay-c.example.com:8443', formatDateTime(team.members[0]!.since), '12', expect.stringMatching(/^[45] s ago$/)]);
    expect(rows[1]!.getAttribute('aria-current')).toBe('true');
    expect(screen.getByText('3 relays · leader: relay-a:8443-19cd')).toBeTruthy();
    expect(screen.getByText(/This relay holds 0 connections to 3CX \(a follower mirrors the leader/)).toBeTruthy();
  });

  it('says so while no relay leads (an election is under way)', async () => {
    renderWithClient(<ConnectionsPage />, new TeamClient({ ...threeRelays(), leader: null }), admin);
    expect(await screen.findByText(/No relay holds the 3CX connections right now/)).toBeTruthy();
    expect(screen.getByText('3 relays · no leader: an election is under way')).toBeTruthy();
  });

  it('shows nothing of a team on a relay that is not in one', async () => {
    renderWithClient(<ConnectionsPage />, new TeamClient(undefined), admin);
    await screen.findAllByText(/connected/i);
    expect(screen.queryByRole('heading', { name: 'Team' })).toBeNull();
    expect(screen.queryByRole('table', { name: 'Relays of the team' })).toBeNull();
  });

  it('passes axe structure rules with a team', async () => {
    renderWithClient(<ConnectionsPage />, new TeamClient(threeRelays()), admin);
    await screen.findByRole('table', { name: 'Relays of the team' });
    const result = await axe.run(document.body, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'color-contrast': { enabled: false } },
      resultTypes: ['violations'],
    });
    expect(result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([]);
  });
});

describe('team summary on the overview', () => {
  it('one line naming the leader, and this relay when it leads', async () => {
    const leading = { ...threeRelays(), self: 'relay-a:8443-19cd', upstreamConnections: 3 };
    expect(teamSummary(leading)).toBe('3 relays · leader: relay-a:8443-19cd (this relay)');
    renderWithClient(<OverviewPage />, new TeamClient(leading), admin);
    expect(await screen.findByText('Team: 3 relays · leader: relay-a:8443-19cd (this relay) (see Connections)')).toBeTruthy();
  });

  it('absent without a team', async () => {
    renderWithClient(<OverviewPage />, new TeamClient(undefined), admin);
    await screen.findByText('Relay health', { exact: false });
    expect(screen.queryByText(/^Team:/)).toBeNull();
  });
});
