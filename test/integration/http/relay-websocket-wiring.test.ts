// /relay/ws as the service wires it: every frame type reaches a real client
// from the simulator's real events, tickets from the REST routes work,
// dashboard tickets get admin frames, and the desktop hooks see the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallsFrame, ConnectionStateFrame, ErrorEntry, HelloFrame, RelayFrame } from '../../../relay/contract/api-types.js';
import { bearer, connectOk, refused } from '../ws/ws-harness.js';
import { startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
let wsUrl: string;
beforeAll(async () => {
  h = await startHarness({ cdr: 'none', tuning: { replayCapacity: 50 } });
  wsUrl = `${h.url.replace('http', 'ws')}/relay/ws`;
});
afterAll(async () => {
  await h?.close();
});

const ticket = async (path: string, auth: string) => ((await (await h.req(path, { method: 'POST', auth })).json()) as { ticket: string }).ticket;

describe('frames from the simulator', () => {
  it('hello, call_event and calls for a new call; connection_state when 3CX drops the socket', async () => {
    const c = await connectOk(wsUrl, { headers: bearer(h.keys.read) });
    await c.waitFor((f) => f[0]?.type === 'hello');
    const hello = c.frames[0] as HelloFrame;
    expect(hello.components.xapi.state).toBe('connected');
    expect(hello.seq).toEqual(expect.any(Number));
    const id = h.sim.placeInboundCall();
    await c.waitFor((f) => f.some((x) => x.type === 'calls' && (x as CallsFrame).value.some((call) => call.Id === id)));
    expect(c.frames.some((f) => f.type === 'call_event')).toBe(true);
    h.sim.faults.dropWebSockets();
    await c.waitFor((f) => f.some((x) => x.type === 'connection_state' && (x as ConnectionStateFrame).data.component === 'callcontrol' && x.data.state !== 'connected'));
    await c.waitFor((f) => f.some((x) => x.type === 'connection_state' && (x as ConnectionStateFrame).data.state === 'connected'));
    // The outage is in the error feed, and Call Control is back.
    const { errors } = (await (await h.req('/admin/errors?component=callcontrol', { auth: h.adminToken })).json()) as { errors: ErrorEntry[] };
    expect(errors.some((e) => /disconnect|closed|lost/i.test(e.message))).toBe(true);
    expect(h.service.health().components.callcontrol.state).toBe('connected');
    const seqs = c.frames.slice(1).map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => hello.seq + 1 + i));
    expect(c.frames.some((f) => f.type === 'error_logged')).toBe(false);
    await c.close();
  });

  it('replays after a reconnect with ?since=, and says resync_required when too old', async () => {
    const first = await connectOk(wsUrl, { headers: bearer(h.keys.read) });
    await first.waitFor((f) => f[0]?.type === 'hello');
    const last = (first.frames[0] as HelloFrame).seq;
    await first.close();
    // Frames happen while no client is connected...
    const id = h.sim.placeInboundCall();
    await waitUntil(async () => {
      const probe = await connectOk(wsUrl, { headers: bearer(h.keys.read) });
      await probe.waitFor((f) => f.length >= 1);
      const seq = (probe.frames[0] as HelloFrame).seq;
      await probe.close();
      return seq > last;
    }, 'frames while away');
    // ...and arrive, in order, on reconnect.
    const again = await connectOk(`${wsUrl}?since=${last}`, { headers: bearer(h.keys.read) });
    await again.waitFor((f) => f.some((x) => x.type === 'calls' && (x as CallsFrame).value.some((call) => call.Id === id)));
    const replayed = again.frames.filter((f) => f.type !== 'hello');
    expect(replayed[0]!.seq).toBe(last + 1);
    expect(replayed.map((f) => f.seq)).toEqual(replayed.map((_, i) => last + 1 + i));
    await again.close();
    h.sim.hangUp(id);
    // The buffer holds 50 frames here: make more than that, then ask for the oldest. One
    // call_event per new call (the calls lists are coalesced, so count on no more).
    const many = Array.from({ length: 70 }, () => h.sim.placeInboundCall());
    await waitUntil(async () => {
      const probe = await connectOk(wsUrl, { headers: bearer(h.keys.read) });
      await probe.waitFor((f) => f.length >= 1);
      const seq = (probe.frames[0] as HelloFrame).seq;
      await probe.close();
      return seq > last + 60;
    }, 'frames past the buffer');
    const old = await connectOk(`${wsUrl}?since=${last}`, { headers: bearer(h.keys.read) });
    await old.waitFor((f) => f.some((x) => x.type === 'resync_required'));
    await old.close();
    for (const callId of many) h.sim.hangUp(callId);
  });
});

describe('tickets', () => {
  it('a key ticket opens one socket, once; no error_logged for integrations', async () => {
    const t = await ticket('/relay/ws-ticket', h.keys.read);
    const c = await connectOk(`${wsUrl}?ticket=${t}`);
    await c.waitFor((f) => f[0]?.type === 'hello');
    expect((await refused(`${wsUrl}?ticket=${t}`)).status).toBe(401);
    await c.close();
  });

  it('a dashboard ticket marks the socket admin: it receives error_logged; the desktop hooks see it too', async () => {
    const fromHook: RelayFrame[] = [];
    const errorsFromHook: Array<[ErrorEntry, boolean]> = [];
    const offFrame = h.service.onFrame((f) => fromHook.push(f));
    const offError = h.service.onError((e, isNew) => errorsFromHook.push([e, isNew]));
    const admin = await connectOk(`${wsUrl}?ticket=${await ticket('/admin/ws-ticket', h.viewerToken)}`);
    const integration = await connectOk(wsUrl, { headers: bearer(h.keys.read) });
    await admin.waitFor((f) => f[0]?.type === 'hello');
    await integration.waitFor((f) => f[0]?.type === 'hello');
    h.sim.faults.sendMalformedFrame('not-json');
    await admin.waitFor((f) => f.some((x) => x.type === 'error_logged'));
    await waitUntil(() => fromHook.some((f) => f.type === 'error_logged') && errorsFromHook.length > 0, 'hooks called');
    expect(errorsFromHook[0]![0].component).toBe('callcontrol');
    // Give the integration socket the same chance to (wrongly) receive it.
    const id = h.sim.placeInboundCall();
    await integration.waitFor((f) => f.some((x) => x.type === 'calls' && (x as CallsFrame).value.some((c) => c.Id === id)));
    h.sim.hangUp(id);
    expect(integration.frames.some((f) => f.type === 'error_logged')).toBe(false);
    offFrame();
    offError();
    await admin.close();
    await integration.close();
  });

  it('logout closes the session\'s dashboard sockets', async () => {
    const login = await h.req('/admin/login', { method: 'POST', json: { username: 'admin', password: 'admin-password-for-tests' } });
    const { token } = (await login.json()) as { token: string };
    const c = await connectOk(`${wsUrl}?ticket=${await ticket('/admin/ws-ticket', token)}`);
    await c.waitFor((f) => f[0]?.type === 'hello');
    await h.req('/admin/logout', { method: 'POST', auth: token });
    expect((await c.closed).code).toBe(4001);
  });

  it('removing a user closes their dashboard sockets', async () => {
    const created = await h.req('/admin/users', { method: 'POST', auth: h.adminToken, json: { username: 'gone', password: 'gone-user-password-1', role: 'viewer' } });
    expect(created.status).toBe(201);
    const login = await h.req('/admin/login', { method: 'POST', json: { username: 'gone', password: 'gone-user-password-1' } });
    const { token } = (await login.json()) as { token: string };
    const c = await connectOk(`${wsUrl}?ticket=${await ticket('/admin/ws-ticket', token)}`);
    await c.waitFor((f) => f[0]?.type === 'hello');
    expect((await h.req('/admin/users/gone', { method: 'DELETE', auth: h.adminToken })).status).toBe(200);
    expect((await c.closed).code).toBe(4001);
  });
});
