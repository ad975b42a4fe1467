// A team follower's hub restarts its replay buffer when it fell further
// behind than the team log keeps (catch-up after a long disconnect, or a
// prune between two pages): the next frame then jumps past the ones it
// never had. A client that was live on that hub must not get the jump as if
// nothing were missing (contract §3: every frame after its last seq, or
// resync_required): it is closed with 1013 like a client that fell behind,
// and its reconnect with ?since= is told to resync.
import { afterEach, expect, it } from 'vitest';
import type { HubFrame } from '../../../relay/events/event-hub.js';
import { bearer, connectOk, startWsHarness, type WsHarness } from '../ws/ws-harness.js';

let h: WsHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

it('a live client whose hub restarts past frames it never sent is closed, and told to resync on reconnect', async () => {
  h = await startWsHarness();
  const client = await connectOk(h.url, { headers: bearer(h.readKey) });
  h.hub.publish({ type: 'call_event', data: 1 });
  h.hub.publish({ type: 'call_event', data: 2 });
  await client.waitFor((f) => f.some((x) => 'seq' in x && x.seq === 2 && x.type === 'call_event'));
  // As team-frame-catch-up does when the log no longer holds frames 3..50.
  h.hub.restartAt(50);
  h.hub.deliver({ type: 'call_event', data: 51, seq: 51, at: new Date().toISOString() } as HubFrame);
  const closed = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), 1_000))]);
  const seqs = client.frames.filter((f) => f.type === 'call_event').map((f) => (f as { seq: number }).seq);
  expect(seqs).toEqual([1, 2]);
  expect(closed?.code).toBe(1013);
  const again = await connectOk(`${h.url}?since=2`, { headers: bearer(h.readKey) });
  await again.waitFor((f) => f.some((x) => x.type === 'resync_required'));
  await again.close();
});
