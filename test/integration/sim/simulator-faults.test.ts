// Every fault switch, in-process and over the /__sim HTTP control surface.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { CallControlFrames, SocketPool, accessToken, bearerFetch, requestToken, waitUntil } from '../../support/sim-client.js';

let sim: Simulator;
const sockets = new SocketPool();

beforeEach(async () => {
  // Socket faults are watched on queue frames: Call Control monitors every DN here.
  sim = await startSimulator({ seed: 5, callControlMonitors: 'all' });
});

afterEach(async () => {
  sockets.closeAll();
  await sim.stop();
});

async function postJson(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('fault switches', () => {
  it('rejectTokens answers 401 unauthorized even for good credentials', async () => {
    sim.faults.rejectTokens = true;
    const { status, body } = await requestToken(sim);
    expect(status).toBe(401);
    expect(body.error).toBe('unauthorized');
    sim.faults.reset();
    expect((await requestToken(sim)).status).toBe(200);
  });

  it('tokenEndpointStatus makes the token endpoint fail with that status', async () => {
    sim.faults.tokenEndpointStatus = 503;
    expect((await requestToken(sim)).status).toBe(503);
    sim.faults.tokenEndpointStatus = null;
    expect((await requestToken(sim)).status).toBe(200);
  });

  it('status500 fails XAPI, Call Control REST and WS upgrades with an OData error', async () => {
    const token = await accessToken(sim);
    sim.faults.status500 = true;
    for (const path of ['/xapi/v1/ActiveCalls', '/callcontrol']) {
      const r = await bearerFetch(sim, token, path);
      expect(r.status).toBe(500);
      expect(r.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    await expect(CallControlFrames.open(sim, token)).rejects.toThrow(/500/);
    sim.faults.status500 = false;
    expect((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).status).toBe(200);
  });

  it('latencyMs delays every answer', async () => {
    const token = await accessToken(sim);
    sim.faults.latencyMs = 250;
    const t0 = performance.now();
    const r = await bearerFetch(sim, token, '/xapi/v1/ActiveCalls');
    expect(r.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
    const t1 = performance.now();
    expect((await requestToken(sim)).status).toBe(200);
    expect(performance.now() - t1).toBeGreaterThanOrEqual(240);
  });

  it('dropWebSockets terminates open sockets; dropWebSocketsEveryMs keeps doing it', async () => {
    const token = await accessToken(sim);
    const a = await sockets.open(sim, token);
    sim.faults.dropWebSockets();
    await a.waitForClose();
    expect(a.ws.readyState).toBe(a.ws.CLOSED);

    sim.faults.dropWebSocketsEveryMs = 80;
    const b = await sockets.open(sim, token);
    await b.waitForClose(1_000);
    const c = await sockets.open(sim, token);
    await c.waitForClose(1_000);
    sim.faults.dropWebSocketsEveryMs = null;
    const d = await sockets.open(sim, token);
    await new Promise((r) => setTimeout(r, 200));
    expect(d.closed).toBe(false);
    expect(sim.stats.wsConnections).toBe(4);
  });

  it('sendMalformedFrame sends one bad frame per socket and the socket keeps working', async () => {
    const token = await accessToken(sim);
    const frames = await sockets.open(sim, token);
    sim.faults.sendMalformedFrame();
    await frames.waitForCount(1);
    expect(() => JSON.parse(frames.raw[0] ?? '')).toThrow();
    sim.faults.sendMalformedFrame('wrong-shape');
    await frames.waitForCount(2);
    const wrong = JSON.parse(frames.raw[1] ?? '') as Record<string, unknown>;
    expect(typeof wrong.sequence).not.toBe('number');
    sim.placeInboundCall();
    await frames.waitForCount(3);
    expect(frames.frames.at(-1)?.event.event_type).toBe(0);
  });

  it('silentSockets keeps sockets open but answers no ping and sends no frame; off again, both resume', async () => {
    const token = await accessToken(sim);
    const frames = await sockets.open(sim, token);
    const pong = (timeoutMs: number) => new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      frames.ws.once('pong', () => {
        clearTimeout(t);
        resolve(true);
      });
      frames.ws.ping();
    });
    expect(await pong(1000)).toBe(true);
    expect((await postJson('/__sim/faults', { silentSockets: true })).body.faults).toMatchObject({ silentSockets: true });
    expect(await pong(300)).toBe(false);
    sim.placeInboundCall();
    sim.faults.sendMalformedFrame();
    await new Promise((r) => setTimeout(r, 100));
    expect(frames.raw).toEqual([]);
    expect(frames.closed).toBe(false);
    expect(sim.stats.openWebSockets).toBe(1);
    sim.faults.silentSockets = false;
    // The pong withheld earlier never comes; a new ping is answered.
    expect(await pong(1000)).toBe(true);
    sim.placeInboundCall();
    await frames.waitForCount(1);
    expect(frames.frames[0]?.event.event_type).toBe(0);
  });

  it('expireTokens voids every issued token; a new one works', async () => {
    const token = await accessToken(sim);
    sim.faults.expireTokens();
    expect((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).status).toBe(401);
    await expect(CallControlFrames.open(sim, token)).rejects.toThrow(/401/);
    const fresh = await accessToken(sim);
    expect((await bearerFetch(sim, fresh, '/xapi/v1/ActiveCalls')).status).toBe(200);
  });

  it('reset turns every switch off', async () => {
    Object.assign(sim.faults, { rejectTokens: true, tokenEndpointStatus: 500, status500: true, latencyMs: 5, silentSockets: true });
    sim.faults.dropWebSocketsEveryMs = 1000;
    sim.faults.reset();
    expect(sim.faults).toMatchObject({ rejectTokens: false, tokenEndpointStatus: null, status500: false, latencyMs: 0, dropWebSocketsEveryMs: null, silentSockets: false });
  });
});

describe('/__sim control over HTTP', () => {
  it('sets faults and reports state', async () => {
    const set = await postJson('/__sim/faults', { status500: true, latencyMs: 10 });
    expect(set.status).toBe(200);
    expect(set.body.faults).toMatchObject({ status500: true, latencyMs: 10 });
    const token = await accessToken(sim);
    expect((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).status).toBe(500);
    expect((await postJson('/__sim/faults', { reset: true })).body.faults).toMatchObject({ status500: false, latencyMs: 0 });
    expect((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).status).toBe(200);

    expect((await postJson('/__sim/faults', { status500: 'yes' })).status).toBe(400);
    expect((await postJson('/__sim/faults', { unknownSwitch: true })).status).toBe(400);

    const frames = await sockets.open(sim, token);
    expect((await postJson('/__sim/faults', { sendMalformedFrame: true })).status).toBe(200);
    await frames.waitForCount(1);
    expect((await postJson('/__sim/faults', { dropWebSockets: true })).status).toBe(200);
    await frames.waitForClose();
    expect((await postJson('/__sim/faults', { expireTokens: true })).status).toBe(200);
    expect((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).status).toBe(401);
  });

  it('drives calls and shows them in /__sim/state', async () => {
    const placed = await postJson('/__sim/calls', { action: 'place', from: '+4930123', queue: '802' });
    expect(placed.status).toBe(201);
    const callId = placed.body.callId as number;
    expect((await postJson('/__sim/calls', { action: 'ring', callId, dn: '113' })).status).toBe(200);
    expect((await postJson('/__sim/calls', { action: 'answer', callId })).status).toBe(200);
    expect((await postJson('/__sim/calls', { action: 'transfer', callId, dn: '114' })).status).toBe(200);
    const state = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { activeCalls: unknown[]; callControl: unknown[]; stats: Record<string, unknown> };
    expect(state.activeCalls).toEqual(sim.activeCalls());
    expect(state.callControl).toEqual(sim.callControlState());
    expect(state.activeCalls).toEqual([expect.objectContaining({ Id: callId, Status: 'Transferring', Caller: '+4930123' })]);
    expect(state.stats).toMatchObject({ tokenRequests: 0, droppedCallIds: [] });
    expect((await postJson('/__sim/calls', { action: 'hangup', callId })).status).toBe(200);
    expect(sim.activeCalls()).toEqual([]);
    expect((await postJson('/__sim/calls', { action: 'hangup', callId })).status).toBe(404);
    expect((await postJson('/__sim/calls', { action: 'explode' })).status).toBe(400);
    const outgoing = await postJson('/__sim/calls', { action: 'outgoing', fromDn: '100', destination: '+4930555' });
    expect(sim.activeCalls()).toEqual([expect.objectContaining({ Id: outgoing.body.callId, Status: 'Dialing' })]);
  });

  it('changes the generator rate', async () => {
    const r = await postJson('/__sim/rate', { callsPerMinute: 120_000 });
    expect(r.body.callsPerMinute).toBe(120_000);
    await waitUntil(() => sim.activeCalls().length > 0, 2_000);
    await postJson('/__sim/rate', { callsPerMinute: 0 });
    expect(sim.callsPerMinute).toBe(0);
  });
});
