// A cap on WebSockets per API key: one key cannot hold the relay's sockets
// (and their send buffers) without limit; closing one frees its place, and
// other keys are not affected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, connectOk, refused, startWsHarness, type TestClient, type WsHarness } from './ws-harness.js';

let h: WsHarness;
beforeAll(async () => {
  h = await startWsHarness({ ws: { maxSocketsPerKey: 3 } });
});
afterAll(async () => {
  await h?.close();
});

describe('WebSockets per API key', () => {
  it('refuses one past the cap with 429, counts again once one closes; tickets count for their key', async () => {
    const open: TestClient[] = [];
    for (let i = 0; i < 3; i++) open.push(await connectOk(h.url, { headers: bearer(h.readKey) }));
    expect(await refused(h.url, { headers: bearer(h.readKey) })).toEqual({ status: 429, body: { code: 'rate_limited', error: expect.stringMatching(/3 open WebSockets/) } });
    const ticket = h.tickets.issue({ kind: 'key', keyId: h.readKeyId, permissions: ['read'] }).ticket;
    expect((await refused(`${h.url}?ticket=${encodeURIComponent(ticket)}`)).status).toBe(429);
    // Another key is unaffected.
    const other = await h.keys.create('wallboard', ['read'], 'test');
    const theirs = await connectOk(h.url, { headers: bearer(other.apiKey) });
    await open.pop()!.close();
    await expect.poll(async () => {
      const c = await connectOk(h.url, { headers: bearer(h.readKey) }).catch(() => null);
      if (c) open.push(c);
      return c !== null;
    }).toBe(true);
    for (const c of [...open, theirs]) await c.close();
  });
});
