// The wallboard: a tile per queue with its figures, the longest wait ticking
// between updates, LIVE/STALE per figure (the relay's flag and the screen's
// own clock), frames updating tiles in place, and fired alerts as a banner.
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { WallboardPage } from '../../renderer/pages/wallboard-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { alertEntry, queueFigures, sourced, type InMemorySupervisor } from './support/in-memory-supervisor.js';
import { renderWithClient } from './support/render-with-client.js';

const T0 = new Date(2026, 10, 3, 14, 2, 0).getTime();
const viewer: AdminUser = { username: 'wall', role: 'viewer' };

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

function setup(): { client: InMemoryRelayClient; sup: InMemorySupervisor } {
  const client = new InMemoryRelayClient(viewer);
  const sup = client.supervisor;
  if (!sup) throw new Error('the in-memory client serves the supervisor view');
  return { client, sup };
}

/** The value and age line of one labelled figure inside a tile. */
function figure(tile: HTMLElement, label: string): HTMLElement {
  const dt = within(tile).getByText(label, { selector: 'dt' });
  const box = dt.parentElement;
  if (!box) throw new Error(`no figure ${label}`);
  return box;
}

/** What a figure shows: its value and its LIVE / STALE line. */
function shown(tile: HTMLElement, label: string): string {
  return figure(tile, label).querySelector('dd')?.textContent ?? '';
}

describe('WallboardPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows each queue\'s figures and ticks the longest wait between updates', async () => {
    const { client, sup } = setup();
    sup.queueList = [
      queueFigures({ id: 2, name: 'Support', callsWaiting: sourced(3), longestWaitS: sourced(30), agentsAvailable: sourced(0) }),
      queueFigures({ id: 1, name: 'Sales', serviceLevelToday: sourced<number | null>(87.4), answeredToday: sourced(41), abandonedToday: sourced(2) }),
    ];
    renderWithClient(<WallboardPage />, client, viewer);
    await advance(0);
    const tiles = screen.getAllByRole('article');
    // Ordered by queue number, whatever order the relay answered in.
    expect(tiles.map((t) => within(t).getByRole('heading').textContent)).toEqual(['Sales 801', 'Support 802']);
    const [sales, support] = tiles as [HTMLElement, HTMLElement];
    expect(shown(sales, 'Service level (20 s)')).toMatch(/^87 %LIVE · 0 s ago$/);
    expect(shown(sales, 'Answered today')).toMatch(/^41/);
    expect(shown(sales, 'Abandoned today')).toMatch(/^2/);
    expect(within(sales).getByText('OK')).toBeTruthy();
    expect(shown(support, 'Calls waiting')).toMatch(/^3/);
    expect(shown(support, 'Longest wait')).toMatch(/^0:30/);
    // Callers wait and nobody is free: the state reads as a word, not only a colour.
    expect(within(support).getByText('ALERT')).toBeTruthy();
    await advance(2000);
    expect(shown(support, 'Longest wait')).toMatch(/^0:32LIVE · 2 s ago$/);
  });

  it('greys out a figure the relay marks stale, saying since when', async () => {
    const { client, sup } = setup();
    const asOf = new Date(T0 - 60_000).toISOString(); // 14:01
    sup.queueList = [queueFigures({ id: 1, name: 'Sales', callsWaiting: sourced(4, asOf, true) })];
    renderWithClient(<WallboardPage />, client, viewer);
    await advance(0);
    const waiting = figure(screen.getByRole('article'), 'Calls waiting');
    expect(waiting.className).toContain('figure-stale');
    expect(waiting.textContent).toContain('stale since 14:01');
    expect(figure(screen.getByRole('article'), 'Agents busy').className).not.toContain('figure-stale');
  });

  it('greys out figures that stop updating, even when the relay last said they were live', async () => {
    const { client, sup } = setup();
    sup.queueList = [queueFigures({ id: 1, name: 'Sales' }, new Date(T0).toISOString())];
    renderWithClient(<WallboardPage />, client, viewer);
    await advance(0);
    const tile = screen.getByRole('article');
    expect(figure(tile, 'Calls waiting').className).not.toContain('figure-stale');
    await advance(31_000);
    expect(figure(tile, 'Calls waiting').className).toContain('figure-stale');
    expect(shown(tile, 'Calls waiting')).toContain('stale since 14:02');
  });

  it('updates a tile in place from queue_stats frames, without remounting it', async () => {
    const { client, sup } = setup();
    sup.queueList = [queueFigures({ id: 1, name: 'Sales' })];
    renderWithClient(<WallboardPage />, client, viewer);
    await advance(0);
    const before = screen.getByRole('article');
    const valueNode = figure(before, 'Calls waiting').querySelector('.figure-value');
    await advance(1000);
    act(() => sup.pushQueue(queueFigures({ id: 1, name: 'Sales', callsWaiting: sourced(7), longestWaitS: sourced(45) })));
    const after = screen.getByRole('article');
    expect(after).toBe(before);
    expect(figure(after, 'Calls waiting').querySelector('.figure-value')).toBe(valueNode);
    expect(valueNode?.textContent).toBe('7');
    expect(within(after).getByText('WARN')).toBeTruthy();
  });

  it('shows fired alerts as a banner and drops them when they clear', async () => {
    const { client, sup } = setup();
    sup.queueList = [queueFigures({ id: 1, name: 'Sales' })];
    renderWithClient(<WallboardPage />, client, viewer);
    await advance(0);
    expect(screen.queryByRole('region', { name: 'Fired alerts' })).toBeNull();
    act(() => sup.fire(alertEntry({ id: 9, rule: 'Sales queue long', message: '5 calls waiting in Sales', severity: 'critical' })));
    await advance(400);
    const banner = screen.getByRole('region', { name: 'Fired alerts' });
    expect(banner.textContent).toContain('Sales queue long');
    expect(banner.textContent).toContain('5 calls waiting in Sales');
    act(() => sup.fire(alertEntry({ id: 9, rule: 'Sales queue long', state: 'cleared', clearedAt: new Date().toISOString() })));
    await advance(400);
    expect(screen.queryByRole('region', { name: 'Fired alerts' })).toBeNull();
  });

  it('says so when the relay does not serve queues', async () => {
    const { client } = setup();
    client.supervisor = null;
    renderWithClient(<WallboardPage />, client, viewer);
    await advance(0);
    expect(screen.getByText('This relay does not provide queue figures.')).toBeTruthy();
  });
});
