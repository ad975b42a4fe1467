// Token broker and XAPI client against the real simulator: token fetch,
// sharing, refresh ahead of expiry, refresh on 401, rejected credentials,
// timeouts, 3CX error bodies, active calls and DropCall.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComponentHealth } from '../../../relay/contract/api-types.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { CREDENTIALS_REJECTED, TokenBroker } from '../../../relay/pbx/token-broker.js';
import type { UpstreamFault } from '../../../relay/pbx/upstream.js';
import { XapiClient } from '../../../relay/pbx/xapi-client.js';
import { recordingLogger, startKit, steppedClock, type Kit } from './pbx-test-kit.js';

async function rejection(p: Promise<unknown>): Promise<RelayError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(RelayError);
  return e as RelayError;
}

describe('token broker', () => {
  let kit: Kit;
  const clock = steppedClock();
  beforeEach(async () => {
    kit = await startKit({ clock, tokenLifetimeS: 3600 });
  });
  afterEach(async () => {
    await kit.close();
  });

  it('fetches a token once and shares one request among concurrent callers', async () => {
    const broker = kit.broker({ clock });
    const tokens = await Promise.all(Array.from({ length: 20 }, () => broker.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toMatch(/^eyJ/);
    expect(kit.sim.stats.tokenRequests).toBe(1);
    expect(await broker.getToken()).toBe(tokens[0]);
    expect(broker.expiresAt).toBe(clock.now() + 3_600_000);
  });

  it('refreshes before expiry, so the old token is never refused', async () => {
    const broker = kit.broker({ clock });
    const xapi = kit.own(new XapiClient({ broker, clock }));
    await xapi.getActiveCalls();
    const first = await broker.getToken();
    clock.advance(2_800_000); // 78 % of the hour: still the same token
    await xapi.getActiveCalls();
    expect(await broker.getToken()).toBe(first);
    expect(kit.sim.stats.tokenRequests).toBe(1);
    clock.advance(100_000); // past 80 %, 700 s before expiry
    await xapi.getActiveCalls();
    const second = await broker.getToken();
    expect(second).not.toBe(first);
    expect(kit.sim.stats.tokenRequests).toBe(2);
    expect(xapi.health().state).toBe('connected');
  });

  it('refreshes once on a 401 and retries the request once', async () => {
    const { logger, text } = recordingLogger();
    const broker = kit.broker({ clock, logger });
    const xapi = kit.own(new XapiClient({ broker, clock }));
    await xapi.getActiveCalls();
    kit.sim.faults.expireTokens();
    const id = kit.sim.placeInboundCall();
    // Several callers hit the 401 at once: still only one new token.
    const lists = await Promise.all([xapi.getActiveCalls(), xapi.getActiveCalls(), xapi.getActiveCalls()]);
    expect(lists.every((l) => l.some((c) => c.Id === id))).toBe(true);
    expect(kit.sim.stats.tokenRequests).toBe(2);
    expect(text()).toContain('refreshing once');
  });

  it('says clearly when 3CX rejects the client id or secret, without the secret and without a retry storm', async () => {
    const wrong = 'definitely-not-the-secret-42';
    const { logger, text } = recordingLogger();
    const broker = kit.broker({ clock, secret: wrong, logger, credentialRetryMs: 60_000 });
    const xapi = kit.own(new XapiClient({ broker, clock, logger }));
    const faults: UpstreamFault[] = [];
    const states: ComponentHealth[] = [];
    xapi.on('fault', (f) => faults.push(f));
    xapi.on('state', (s) => states.push(s));
    await xapi.start();
    const health = xapi.health();
    expect(health.state).toBe('error');
    expect(health.lastError).toMatch(/3CX rejected the client id "relay" or its secret \(HTTP 401, unauthorized: The request requires valid user authentication\.\)/);
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ component: 'xapi', severity: 'critical' });
    const e = await rejection(xapi.getActiveCalls());
    expect(e.code).toBe(CREDENTIALS_REJECTED);
    expect(e.status).toBe(502);
    // 20 more attempts inside the cool-down: no new token request reaches 3CX.
    for (let i = 0; i < 20; i++) await xapi.check();
    expect(kit.sim.stats.tokenRequests).toBe(1);
    expect(faults).toHaveLength(1);
    expect(JSON.stringify({ faults, states, e: e.message, details: e.details })).not.toContain(wrong);
    expect(text()).not.toContain(wrong);
    // After the cool-down it asks again.
    clock.advance(61_000);
    await xapi.check();
    expect(kit.sim.stats.tokenRequests).toBe(2);
  });

  it('recovers after the simulator stops rejecting tokens, on a manual reconnect', async () => {
    const broker = kit.broker({ clock });
    const xapi = kit.own(new XapiClient({ broker, clock }));
    kit.sim.faults.rejectTokens = true;
    await xapi.start();
    expect(xapi.health().state).toBe('error');
    kit.sim.faults.reset();
    await xapi.reconnect();
    expect(xapi.health()).toMatchObject({ state: 'connected', lastError: null });
  });

  it('reports a failing token endpoint with its status, as a plain upstream error', async () => {
    const broker = kit.broker({ clock });
    kit.sim.faults.tokenEndpointStatus = 503;
    const e = await rejection(broker.getToken());
    expect(e.code).toBe('upstream_error');
    expect(e.message).toBe('3CX answered 503 to the token request: server_error: simulated token endpoint failure');
    expect(e.details).toMatchObject({ status: 503 });
    // Not a credentials problem: the next call asks again at once.
    kit.sim.faults.reset();
    await expect(broker.getToken()).resolves.toMatch(/^eyJ/);
  });
});

describe('XAPI client', () => {
  let kit: Kit;
  const clock = steppedClock();
  beforeEach(async () => {
    kit = await startKit({ clock });
  });
  afterEach(async () => {
    await kit.close();
  });

  it('starts connected with a measured latency and reports unconfigured without a broker', async () => {
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    await xapi.start();
    expect(xapi.health().state).toBe('connected');
    expect(xapi.health().latencyMs).toEqual(expect.any(Number));
    const none = new XapiClient({ broker: null });
    await none.start();
    expect(none.health().state).toBe('unconfigured');
    expect((await rejection(none.getActiveCalls())).code).toBe('upstream_unconfigured');
  });

  it('returns exactly the simulator\'s active calls', async () => {
    const xapi = kit.own(new XapiClient({ broker: kit.broker({ clock }), clock }));
    expect(await xapi.getActiveCalls()).toEqual([]);
    const a = kit.sim.placeInboundCall({ from: '+4930111222' });
    kit.sim.ring(a, '101');
    kit.sim.answer(a);
    kit.sim.placeInboundCall({ queue: '801' });
    kit.sim.placeOutgoingCall('105', '+4940555666');
    kit.sim.placeOutgoingCall('106', '107');
    const ours = await xapi.getActiveCalls();
    expect(ours).toHaveLength(4);
    expect(ours).toEqual(kit.sim.activeCalls());
    expect(ours.find((c) => c.Id === a)).toMatchObject({ Caller: '+4930111222', Callee: '101 Ben Carter', Status: 'Talking' });
  });

  it('drops a call in the simulator and answers not_found for an unknown one', async () => {
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    const id = kit.sim.placeInboundCall();
    const other = kit.sim.placeInboundCall();
    await xapi.dropCall(id);
    expect(kit.sim.stats.droppedCallIds).toEqual([id]);
    expect(kit.sim.activeCalls().map((c) => c.Id)).toEqual([other]);
    const e = await rejection(xapi.dropCall(999_999));
    expect([e.code, e.status, e.message]).toEqual(['not_found', 404, '3CX has no active call 999999']);
    // A missing call is the caller's problem, not a component fault.
    expect(xapi.health().state).toBe('connected');
  });

  it('maps a 3CX error body to upstream_error (502) carrying 3CX\'s message, and recovers', async () => {
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    const faults: UpstreamFault[] = [];
    xapi.on('fault', (f) => faults.push(f));
    await xapi.start();
    kit.sim.faults.status500 = true;
    const e = await rejection(xapi.getActiveCalls());
    expect([e.code, e.status]).toEqual(['upstream_error', 502]);
    expect(e.message).toBe('3CX answered 500 to GET ActiveCalls: simulated server failure');
    expect(xapi.health()).toMatchObject({ state: 'error', lastError: e.message });
    expect(faults.map((f) => f.severity)).toEqual(['error']);
    kit.sim.faults.reset();
    await xapi.check();
    expect(xapi.health()).toMatchObject({ state: 'connected', lastError: null });
  });

  it('gives up on a slow 3CX after the timeout with upstream_timeout (504)', async () => {
    const broker = kit.broker();
    await broker.getToken();
    const xapi = kit.own(new XapiClient({ broker, timeoutMs: 150 }));
    kit.sim.faults.latencyMs = 1000;
    const started = Date.now();
    const e = await rejection(xapi.getActiveCalls());
    expect(Date.now() - started).toBeLessThan(900);
    expect([e.code, e.status]).toEqual(['upstream_timeout', 504]);
    expect(e.message).toMatch(/did not answer GET \/xapi\/v1\/ActiveCalls within 150 ms/);
    expect(xapi.health().state).toBe('error');
  });

  it('reports an unreachable PBX as an error state, without throwing from check()', async () => {
    const url = kit.sim.url;
    await kit.sim.stop();
    const broker = kit.own(new TokenBroker({
      config: { baseUrl: url, clientId: 'relay', clientSecret: 'x' }, timeoutMs: 1000,
    }));
    const xapi = kit.own(new XapiClient({ broker }));
    await expect(xapi.check()).resolves.toBeUndefined();
    expect(xapi.health().state).toBe('error');
    expect(xapi.health().lastError).toMatch(/cannot reach 3CX \(POST \/connect\/token\): .*ECONNREFUSED/);
  });
});
