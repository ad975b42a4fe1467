// Active calls: durations tick every second from EstablishedAt, corrected for
// a PBX clock that differs from ours; `calls` frames add and remove rows.
import { act, cleanup, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActiveCall } from '../../relay/contract/api-types.js';
import { ActiveCallsPage } from '../../renderer/pages/active-calls-page.js';
import { InMemoryRelayClient } from './support/in-memory-relay-client.js';
import { renderWithClient } from './support/render-with-client.js';

const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);

function call(id: number, establishedAgoS: number | null, serverAheadMs = 0, now = Date.now()): ActiveCall {
  return {
    Id: id,
    Caller: `10${id}`,
    Callee: `+4420700${id}`,
    Status: establishedAgoS === null ? 'Ringing' : 'Talking',
    LastChangeStatus: new Date(now).toISOString(),
    EstablishedAt: establishedAgoS === null ? null : new Date(now + serverAheadMs - establishedAgoS * 1000).toISOString(),
    ServerNow: new Date(now + serverAheadMs).toISOString(),
  };
}

async function flush(): Promise<void> {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
}

describe('ActiveCallsPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('ticks the duration every second', async () => {
    const client = new InMemoryRelayClient({ username: 'admin', role: 'admin' });
    client.calls = [call(1, 65)];
    renderWithClient(<ActiveCallsPage />, client, { username: 'admin', role: 'admin' });
    await flush();
    expect(screen.getByTestId('duration-1').textContent).toBe('1:05');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(screen.getByTestId('duration-1').textContent).toBe('1:06');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3600_000);
    });
    expect(screen.getByTestId('duration-1').textContent).toBe('1:01:06');
  });

  it('measures against the PBX clock, not ours', async () => {
    const client = new InMemoryRelayClient({ username: 'admin', role: 'admin' });
    // The PBX clock runs ten minutes ahead; the call has been up 30 s.
    client.pbxClockAheadMs = 10 * 60_000;
    client.calls = [call(2, 30, 10 * 60_000)];
    renderWithClient(<ActiveCallsPage />, client, { username: 'admin', role: 'admin' });
    await flush();
    expect(screen.getByTestId('duration-2').textContent).toBe('0:30');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2000);
    });
    expect(screen.getByTestId('duration-2').textContent).toBe('0:32');
    // A refresh re-reads ServerNow; the offset stays right.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(60_000);
    });
    expect(screen.getByTestId('duration-2').textContent).toBe('1:32');
  });

  it('shows a dash for a call not yet answered', async () => {
    const client = new InMemoryRelayClient({ username: 'admin', role: 'admin' });
    client.calls = [call(3, null)];
    renderWithClient(<ActiveCallsPage />, client, { username: 'admin', role: 'admin' });
    await flush();
    expect(screen.getByTestId('duration-3').textContent).toBe('—');
  });

  it('adds and removes rows from calls frames, with an empty state', async () => {
    const client = new InMemoryRelayClient({ username: 'admin', role: 'admin' });
    renderWithClient(<ActiveCallsPage />, client, { username: 'admin', role: 'admin' });
    await flush();
    expect(screen.getByText('No calls in progress.')).toBeTruthy();
    act(() => client.pushCalls([call(4, 5), call(5, 1)]));
    expect(screen.getAllByRole('row')).toHaveLength(3);
    act(() => client.pushCalls([call(5, 2)]));
    const rows = screen.getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(within(rows[1]!).getByText('105')).toBeTruthy();
  });

  it('drops a call only after confirmation', async () => {
    const client = new InMemoryRelayClient({ username: 'admin', role: 'admin' });
    client.calls = [call(7, 10)];
    renderWithClient(<ActiveCallsPage />, client, { username: 'admin', role: 'admin' });
    await flush();
    act(() => screen.getByRole('button', { name: /Drop call 107/ }).click());
    const dialog = screen.getByRole('alertdialog', { name: 'Drop this call?' });
    // Focus starts on Cancel, the safe choice.
    expect(document.activeElement?.textContent).toBe('Cancel');
    act(() => within(dialog).getByRole('button', { name: 'Cancel' }).click());
    expect(client.log.filter((l) => l.op === 'dropCall')).toHaveLength(0);
    expect(screen.queryByRole('alertdialog')).toBeNull();

    act(() => screen.getByRole('button', { name: /Drop call 107/ }).click());
    await act(async () => {
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Drop call' }).click();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(client.log.filter((l) => l.op === 'dropCall')).toEqual([{ op: 'dropCall', args: [7] }]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.getByText('No calls in progress.')).toBeTruthy();
  });
});
