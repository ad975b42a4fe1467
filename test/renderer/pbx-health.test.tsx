// PBX health on the overview from the relay's live PBX overview: each figure
// with the age of its data, greyed out once stale, and a trunk down said in
// words.
import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { OverviewPage } from '../../renderer/pages/overview-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const T0 = new Date(2026, 10, 3, 14, 0, 0).getTime();
const admin: AdminUser = { username: 'admin', role: 'admin' };

async function advance(ms: number): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

function clientWith(asOfAgoMs: number, stale: boolean, trunksRegistered: number): InMemoryRelayClient {
  const client = new InMemoryRelayClient(admin);
  if (!client.supervisor) throw new Error('supervisor expected');
  client.supervisor.pbxOverview = {
    version: '20.0.7.1080', licenseActive: true, extensions: { registered: 31, total: 40 }, trunks: { registered: trunksRegistered, total: 2 },
    callControlCoverage: null, asOf: new Date(T0 - asOfAgoMs).toISOString(), stale,
  };
  return client;
}

describe('PBX health on the overview', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('shows the live figures with their age', async () => {
    renderWithClient(<OverviewPage />, clientWith(4000, false, 2), admin);
    await advance(0);
    const extensions = screen.getByText('Extensions').nextElementSibling;
    expect(extensions?.textContent).toBe('31 of 40 registered LIVE · 4 s ago');
    expect(screen.getByText('Trunks').nextElementSibling?.textContent).toBe('2 of 2 registered LIVE · 4 s ago');
    expect(screen.getByText('20.0.7.1080', { exact: false })).toBeTruthy();
  });

  it('greys the figures out with "stale since" and names a trunk down', async () => {
    renderWithClient(<OverviewPage />, clientWith(120_000, true, 1), admin);
    await advance(0);
    const trunks = screen.getByText('Trunks').nextElementSibling;
    expect(trunks?.textContent).toContain('1 of 2 registered');
    expect(trunks?.textContent).toContain('trunk down');
    expect(trunks?.textContent).toContain('stale since 13:58');
    expect(trunks?.closest('dl')?.className).toContain('figure-stale');
  });
});
