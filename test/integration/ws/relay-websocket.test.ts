// The local WebSocket API (contract section 3 and 4) over real sockets: a real
// http.Server, real `ws` clients, the real key service and store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorEntry, HelloFrame, RelayFrame } from '../../../relay/contract/api-types.js';
import { sessionIdOf } from '../../../relay/auth/session-service.js';
import { CLOSE_CREDENTIALS_REVOKED } from '../../../relay/http/ws/relay-websocket.js';
import { bearer, connectOk, refused, seqOf, startWsHarness, type WsHarness } from './ws-harness.js';

let h: WsHarness;
afterEach(async () => {
  await h?.close();
});

const sequenced = (frames: RelayFrame[]) => frames.filter((f) => f.type === 'call_event' || f.type === 'calls' || f.type === 'connection_state');

describe('authentication and the upgrade rules', () => {
  beforeEach(async () => {
    h = await startWsHarness();
  });

  it('accepts a key in Authorization: Bearer and says hello with the latest seq and components', async () => {
    h.hub.publish({ type: 'call_event', data: { n: 1 } });
    const c = await connectOk(h.url, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 1);
    const hello = c.frames[0] as HelloFrame;
    expect(hello).toEqual({ type: 'hello', seq: 1, components: h.components });
    h.hub.publish({ type: 'calls', value: [] });
    await c.waitFor((f) => f.length >= 2);
    expect(c.frames[1]).toMatchObject({ type: 'calls', seq: 2, value: [], at: expect.any(String) });
    await c.close();
  });

  it('accepts a key in X-API-Key', async () => {
    const c = await connectOk(h.url, { headers: { 'x-api-key': h.readKey } });
    await c.waitFor((f) => f[0]?.type === 'hello');
    await c.close();
  });

  it('refuses a key in the URL, even alongside a valid header', async () => {
    for (const q of [`key=${h.readKey}`, `apiKey=${h.readKey}`, `api_key=${h.readKey}`]) {
      const r = await refused(`${h.url}?${q}`);
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('unauthorized');
      expect(r.body.error).toMatch(/URL/);
      expect(JSON.stringify(r.body)).not.toContain(h.readKey);
    }
    expect((await refused(`${h.url}?key=${h.readKey}`, { headers: bearer(h.readKey) })).status).toBe(401);
  });

  it('answers 401 without a key and with a wrong or malformed one', async () => {
    expect(await refused(h.url)).toEqual({ status: 401, body: { code: 'unauthorized', error: expect.any(String) } });
    const wrong = h.readKey.slice(0, -4) + 'AAAA';
    expect((await refused(h.url, { headers: bearer(wrong) })).status).toBe(401);
    expect((await refused(h.url, { headers: bearer('nonsense') })).status).toBe(401);
  });

  it('refuses a `control`-only key, the same rule as REST (permissions are independent)', async () => {
    expect(await refused(h.url, { headers: bearer(h.controlOnlyKey) })).toEqual({ status: 403, body: { code: 'forbidden', error: expect.any(String) } });
  });

  it('answers 403 to a foreign Origin before upgrading, and accepts the relay\'s own', async () => {
    const r = await refused(h.url, { headers: { ...bearer(h.readKey), origin: 'https://evil.example' } });
    expect(r).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const own = await connectOk(h.url, { headers: { ...bearer(h.readKey), origin: `http://localhost:${h.port}` } });
    await own.close();
  });

  it('answers 403 to a foreign Host (DNS rebinding)', async () => {
    const r = await refused(h.url, { headers: { ...bearer(h.readKey), host: `attacker.example:${h.port}` } });
    expect(r).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await refused(h.url, { headers: { ...bearer(h.readKey), host: `localhost:${h.port + 1}` } })).status).toBe(403);
  });

  it('answers 400 to a malformed query', async () => {
    for (const q of ['since=abc', 'since=-1', 'since=1.5', 'foo=bar']) {
      const r = await refused(`${h.url}?${q}`, { headers: bearer(h.readKey) });
      expect(r, q).toMatchObject({ status: 400, body: { code: 'bad_request', error: expect.stringMatching(/query/) } });
    }
  });

  it('answers 404 for other upgrade paths', async () => {
    const r = await refused(`ws://127.0.0.1:${h.port}/other`, { headers: bearer(h.readKey) });
    expect(r.status).toBe(404);
  });
});

describe('tickets', () => {
  let now = Date.parse('2026-11-02T09:00:00.000Z');
  beforeEach(async () => {
    now = Date.parse('2026-11-02T09:00:00.000Z');
    h = await startWsHarness({ ticketClock: { now: () => now, setTimeout: () => ({ cancel() {} }) } });
  });

  it('a ticket opens one connection, once', async () => {
    const { ticket } = h.tickets.issue({ kind: 'key', keyId: h.readKeyId, permissions: ['read'] });
    const c = await connectOk(`${h.url}?ticket=${ticket}`);
    await c.waitFor((f) => f[0]?.type === 'hello');
    const again = await refused(`${h.url}?ticket=${ticket}`);
    expect(again).toMatchObject({ status: 401, body: { code: 'unauthorized', error: expect.stringMatching(/ticket/) } });
    await c.close();
  });

  it('a ticket expires after 30 s', async () => {
    const { ticket } = h.tickets.issue({ kind: 'key', keyId: h.readKeyId, permissions: ['read'] });
    now += 30_000;
    expect((await refused(`${h.url}?ticket=${ticket}`)).status).toBe(401);
  });

  it('an unknown ticket is refused', async () => {
    expect((await refused(`${h.url}?ticket=made-up`)).status).toBe(401);
  });

  it('admin sockets get error_logged frames; integration sockets never do', async () => {
    const admin = await connectOk(`${h.url}?ticket=${h.tickets.issue({ kind: 'admin', username: 'admin', role: 'admin', sessionId: 's' }).ticket}`);
    const integration = await connectOk(h.url, { headers: bearer(h.readKey) });
    await Promise.all([admin.waitFor((f) => f.length >= 1), integration.waitFor((f) => f.length >= 1)]);
    const entry: ErrorEntry = {
      id: 7, at: '2026-11-02T09:00:00.000Z', component: 'callcontrol', severity: 'error', message: 'socket closed', details: null,
      acknowledged: false, acknowledgedAt: null, acknowledgedBy: null, occurrences: 1, lastAt: '2026-11-02T09:00:00.000Z',
    };
    h.hub.publish({ type: 'call_event', data: 1 });
    h.hub.publish({ type: 'error_logged', data: entry });
    h.hub.publish({ type: 'call_event', data: 2 });
    await Promise.all([admin.waitFor((f) => f.length >= 4), integration.waitFor((f) => f.length >= 3)]);
    expect(admin.frames.slice(1).map((f) => f.type)).toEqual(['call_event', 'error_logged', 'call_event']);
    expect(admin.frames[2]).toMatchObject({ type: 'error_logged', data: { id: 7 } });
    expect(integration.frames.slice(1).map((f) => [f.type, f.seq])).toEqual([['call_event', 1], ['call_event', 2]]);
    await Promise.all([admin.close(), integration.close()]);
  });
});

describe('replay with ?since=', () => {
  it('a reconnecting client gets every frame after its last seq, in order, while frames keep coming', async () => {
    h = await startWsHarness();
    let n = 0;
    const publisher = setInterval(() => {
      for (let i = 0; i < 20; i++) h.hub.publish({ type: 'call_event', data: { n: n++ } });
    }, 2);
    try {
      const first = await connectOk(h.url, { headers: bearer(h.readKey) });
      await first.waitFor((f) => sequenced(f).length >= 300);
      await first.close();
      const got1 = sequenced(first.frames).map(seqOf);
      const helloSeq = first.frames[0]!.seq;
      expect(got1).toEqual(Array.from({ length: got1.length }, (_, i) => helloSeq + 1 + i));
      const last = got1.at(-1)!;
      // Frames published while the client is away must all arrive after reconnecting.
      await new Promise((r) => setTimeout(r, 50));
      expect(h.hub.latestSeq).toBeGreaterThan(last + 100);
      const second = await connectOk(`${h.url}?since=${last}`, { headers: bearer(h.readKey) });
      const target = h.hub.latestSeq + 500;
      await second.waitFor((f) => (sequenced(f).at(-1)?.seq ?? 0) >= target);
      const got2 = sequenced(second.frames).map(seqOf);
      expect(got2).toEqual(Array.from({ length: got2.length }, (_, i) => last + 1 + i));
      await second.close();
    } finally {
      clearInterval(publisher);
    }
  });

  it('replays a 10,000-frame backlog through a small send buffer without tripping the cap', async () => {
    h = await startWsHarness({ capacity: 20_000, ws: { maxBufferedBytes: 128 * 1024 } });
    const pad = 'x'.repeat(500);
    for (let i = 0; i < 10_000; i++) h.hub.publish({ type: 'call_event', data: { i, pad } });
    const publisher = setInterval(() => h.hub.publish({ type: 'call_event', data: { live: true } }), 1);
    try {
      const c = await connectOk(`${h.url}?since=0`, { headers: bearer(h.readKey) });
      const target = 10_050;
      await c.waitFor((f) => (sequenced(f).at(-1)?.seq ?? 0) >= target, 20_000);
      const got = sequenced(c.frames).map(seqOf);
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => 1 + i));
      await c.close();
    } finally {
      clearInterval(publisher);
    }
  });

  it('sends resync_required when since= is older than the buffer, then live frames', async () => {
    h = await startWsHarness({ capacity: 100 });
    for (let i = 0; i < 300; i++) h.hub.publish({ type: 'call_event', data: i });
    const c = await connectOk(`${h.url}?since=10`, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 2);
    expect(c.frames.slice(0, 2).map((f) => [f.type, f.seq])).toEqual([['hello', 300], ['resync_required', 300]]);
    h.hub.publish({ type: 'call_event', data: 'live' });
    await c.waitFor((f) => f.length >= 3);
    expect(c.frames[2]).toMatchObject({ type: 'call_event', seq: 301 });
    await c.close();
  });

  it('sends resync_required for a seq the relay never issued (previous run)', async () => {
    h = await startWsHarness();
    h.hub.publish({ type: 'call_event', data: 1 });
    const c = await connectOk(`${h.url}?since=5000`, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 2);
    expect(c.frames[1]).toEqual({ type: 'resync_required', seq: 1 });
    await c.close();
  });

  it('with a grace (team mode), waits for a since= ahead of this relay instead of a resync', async () => {
    // A client coming from the leader is a few frames ahead of a follower's mirror.
    h = await startWsHarness({ ws: { aheadGraceMs: 2_000 } });
    for (let i = 0; i < 3; i++) h.hub.publish({ type: 'call_event', data: i });
    const c = await connectOk(`${h.url}?since=5`, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 1);
    for (let i = 3; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 30));
      h.hub.publish({ type: 'call_event', data: i });
    }
    await c.waitFor((f) => sequenced(f).length >= 3);
    expect(c.frames[0]).toMatchObject({ type: 'hello', seq: 3 });
    expect(c.frames.some((f) => f.type === 'resync_required')).toBe(false);
    expect(sequenced(c.frames).map(seqOf)).toEqual([6, 7, 8]);
    await c.close();
  });

  it('with a grace, a since= that never arrives is a resync at the newest seq, then contiguous live frames', async () => {
    h = await startWsHarness({ ws: { aheadGraceMs: 200 } });
    h.hub.publish({ type: 'call_event', data: 0 });
    const c = await connectOk(`${h.url}?since=50`, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 1);
    h.hub.publish({ type: 'call_event', data: 1 });
    await c.waitFor((f) => f.some((x) => x.type === 'resync_required'));
    expect(c.frames.find((f) => f.type === 'resync_required')).toEqual({ type: 'resync_required', seq: 2 });
    h.hub.publish({ type: 'call_event', data: 2 });
    await c.waitFor((f) => sequenced(f).length >= 1);
    expect(sequenced(c.frames).map(seqOf)).toEqual([3]);
    await c.close();
  });

  it('since= equal to the latest seq sends nothing old, just live frames', async () => {
    h = await startWsHarness();
    for (let i = 0; i < 5; i++) h.hub.publish({ type: 'call_event', data: i });
    const c = await connectOk(`${h.url}?since=5`, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 1);
    h.hub.publish({ type: 'call_event', data: 'live' });
    await c.waitFor((f) => f.length >= 2);
    expect(c.frames.map((f) => [f.type, f.seq])).toEqual([['hello', 5], ['call_event', 6]]);
    await c.close();
  });
});

describe('slow and dead clients', () => {
  it('closes a client that stops reading with 1013 once its send buffer passes the limit', async () => {
    h = await startWsHarness({ ws: { maxBufferedBytes: 64 * 1024 } });
    const c = await connectOk(h.url, { headers: bearer(h.readKey) });
    await c.waitFor((f) => f.length >= 1);
    c.ws.pause(); // stop reading: the kernel buffers fill, then the relay's
    const pad = 'y'.repeat(64 * 1024);
    let published = 0;
    const deadline = Date.now() + 15_000;
    while (h.hub.subscriberCount > 0 && Date.now() < deadline) {
      for (let i = 0; i < 10; i++) h.hub.publish({ type: 'call_event', data: { i: published++, pad } });
      await new Promise((r) => setImmediate(r));
    }
    expect(h.hub.subscriberCount).toBe(0); // the relay stopped feeding it
    // Memory stays bounded: the relay keeps publishing, nothing more is queued for the client.
    for (let i = 0; i < 50; i++) h.hub.publish({ type: 'call_event', data: { pad } });
    c.ws.resume();
    const closed = await c.closed;
    expect(closed.code).toBe(1013);
    const got = sequenced(c.frames).map(seqOf);
    // What did arrive is still in order with no gap.
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => 1 + i));
    expect(got.length).toBeLessThan(published);
  });

  it('terminates a client that stops answering pings, and keeps one that answers', async () => {
    h = await startWsHarness({ ws: { heartbeatMs: 100 } });
    const dead = await connectOk(h.url, { headers: bearer(h.readKey), autoPong: false });
    const alive = await connectOk(h.url, { headers: bearer(h.readKey) });
    const closed = await dead.closed;
    expect(closed.code).toBe(1006); // terminated, no close frame
    await new Promise((r) => setTimeout(r, 300));
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    expect(h.ws.clientCount).toBe(1);
    await alive.close();
  });
});

describe('revocation and shutdown', () => {
  it('revoking a key closes its sockets (header and ticket) and voids its tickets', async () => {
    h = await startWsHarness();
    const other = await h.keys.create('other', ['read'], 'test');
    const viaHeader = await connectOk(h.url, { headers: bearer(h.readKey) });
    const viaTicket = await connectOk(`${h.url}?ticket=${h.tickets.issue({ kind: 'key', keyId: h.readKeyId, permissions: ['read'] }).ticket}`);
    const bystander = await connectOk(h.url, { headers: bearer(other.apiKey) });
    const unused = h.tickets.issue({ kind: 'key', keyId: h.readKeyId, permissions: ['read'] });
    await h.keys.revoke(h.readKeyId);
    expect((await viaHeader.closed).code).toBe(CLOSE_CREDENTIALS_REVOKED);
    expect((await viaTicket.closed).code).toBe(CLOSE_CREDENTIALS_REVOKED);
    expect(bystander.ws.readyState).toBe(bystander.ws.OPEN);
    expect((await refused(`${h.url}?ticket=${unused.ticket}`)).status).toBe(401);
    expect((await refused(h.url, { headers: bearer(h.readKey) })).status).toBe(401);
    await bystander.close();
  });

  it('ending a session closes its dashboard sockets and voids its tickets; signing a user out closes all of theirs', async () => {
    h = await startWsHarness();
    const harness = h;
    const token = 'a'.repeat(43);
    const dashboard = (username: string, sessionId?: string) =>
      connectOk(`${harness.url}?ticket=${harness.tickets.issue({ kind: 'admin', username, role: 'admin', ...(sessionId ? { sessionId } : {}) }).ticket}`);
    const ended = await dashboard('ana', sessionIdOf(token));
    const otherSession = await dashboard('ana', sessionIdOf('b'.repeat(43)));
    const vera = [await dashboard('vera', sessionIdOf('c'.repeat(43))), await dashboard('vera')];
    const unused = h.tickets.issue({ kind: 'admin', username: 'ana', role: 'admin', sessionId: sessionIdOf(token) });
    await h.sessions.revoke(token);
    expect((await ended.closed).code).toBe(CLOSE_CREDENTIALS_REVOKED);
    expect((await refused(`${h.url}?ticket=${unused.ticket}`)).status).toBe(401);
    await h.sessions.revokeAllFor('vera');
    expect((await vera[0]!.closed).code).toBe(CLOSE_CREDENTIALS_REVOKED);
    expect((await vera[1]!.closed).code).toBe(CLOSE_CREDENTIALS_REVOKED);
    expect(otherSession.ws.readyState).toBe(otherSession.ws.OPEN);
    await otherSession.close();
  });

  it('close() closes every client and refuses new upgrades', async () => {
    h = await startWsHarness();
    const a = await connectOk(h.url, { headers: bearer(h.readKey) });
    const b = await connectOk(h.url, { headers: bearer(h.readKey) });
    await h.ws.close();
    expect((await a.closed).code).toBe(1001);
    expect((await b.closed).code).toBe(1001);
    expect(h.ws.clientCount).toBe(0);
    expect(h.hub.subscriberCount).toBe(0);
  });
});
