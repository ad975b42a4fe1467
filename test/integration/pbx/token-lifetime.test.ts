// One token per client id, however the PBX states its lifetime: against the
// simulator playing 20.0.7 (expires_in in minutes) and 20.0.9 (seconds), a
// relay running ten minutes on a stepped clock asks for exactly one token.
// Opaque (non-JWT) tokens leave only expires_in: then the version the broker
// is told decides the unit.
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstreams, stopUpstreams, type Upstreams } from '../../../relay/pbx/create-upstreams.js';
import { TokenBroker } from '../../../relay/pbx/token-broker.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { steppedClock, waitFor } from './pbx-test-kit.js';

const STEP_MS = 30_000;
const TEN_MINUTES = 10 * 60_000;

let sim: Simulator | null = null;
let ups: Upstreams | null = null;
const brokers: TokenBroker[] = [];

afterEach(async () => {
  if (ups) await stopUpstreams(ups);
  for (const b of brokers.splice(0)) b.stop();
  await sim?.stop();
  sim = null;
  ups = null;
});

/** Ten minutes of relay work, 30 s apart: an XAPI read and a call through Call Control each step. */
async function runTenMinutes(s: Simulator, u: Upstreams, clock: ReturnType<typeof steppedClock>): Promise<void> {
  for (let elapsed = 0; elapsed <= TEN_MINUTES; elapsed += STEP_MS) {
    await u.xapi.getActiveCalls();
    const id = s.placeOutgoingCall('100', '+4930111222');
    await waitFor(() => u.callControl.activeCalls().some((c) => c.Id === id), 'the call through Call Control');
    s.hangUp(id);
    await waitFor(() => !u.callControl.activeCalls().some((c) => c.Id === id), 'the hang-up through Call Control');
    clock.advance(STEP_MS);
  }
}

describe.each([
  { version: '20.0.7.1080', expiresIn: 60 },
  { version: '20.0.9.2000', expiresIn: 3600 },
])('a relay against $version', ({ version, expiresIn }) => {
  it('obtains exactly one token in ten minutes', async () => {
    const clock = steppedClock();
    sim = await startSimulator({ pbxVersion: version, clock });
    ups = createUpstreams(
      { pbx: { baseUrl: sim.url, clientId: sim.clientId, clientSecret: sim.clientSecret } },
      { clock, tuning: { requestTimeoutMs: 2000, reconnectBaseMs: 50, reconnectCapMs: 500 } },
    );
    await Promise.all([ups.xapi.start(), ups.callControl.start()]);
    await runTenMinutes(sim, ups, clock);
    expect(sim.stats.tokenRequests).toBe(1);
    expect(ups.tokenBroker?.lifetimeSource).toBe('jwt_exp');
    expect(ups.tokenBroker?.expiresAt).toBe(Date.parse('2026-11-23T11:00:00Z'));
    // The simulator stated the lifetime in the version's unit.
    const answer = await fetch(`${sim.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: sim.clientId, client_secret: sim.clientSecret, grant_type: 'client_credentials' }),
    });
    expect(((await answer.json()) as { expires_in: number }).expires_in).toBe(expiresIn);
  });
});

describe('opaque tokens: the unit of expires_in comes from the version', () => {
  async function opaqueSim(version: string) {
    const clock = steppedClock();
    sim = await startSimulator({ pbxVersion: version, clock });
    sim.faults.opaqueTokens = true;
    return clock;
  }

  function broker(s: Simulator, clock: ReturnType<typeof steppedClock>, pbxVersion?: () => string | null): TokenBroker {
    const b = new TokenBroker({ config: { baseUrl: s.url, clientId: s.clientId, clientSecret: s.clientSecret }, clock, timeoutMs: 2000, ...(pbxVersion ? { pbxVersion } : {}) });
    brokers.push(b);
    return b;
  }

  async function tenMinutesOfTokens(b: TokenBroker, clock: ReturnType<typeof steppedClock>): Promise<void> {
    for (let elapsed = 0; elapsed <= TEN_MINUTES; elapsed += STEP_MS) {
      await b.getToken();
      clock.advance(STEP_MS);
    }
  }

  it('20.0.7, version unknown: a conservative guess refreshes a few times; once told the version, no more', async () => {
    const clock = await opaqueSim('20.0.7.1080');
    const b = broker(sim!, clock);
    await tenMinutesOfTokens(b, clock);
    expect(b.lifetimeSource).toBe('guess');
    // 5-minute guess, refreshed at 4 minutes: 3 tokens in 10 minutes, not 20 (one per 30 s).
    expect(sim!.stats.tokenRequests).toBe(3);
    b.setPbxVersion('20.0.7.1080');
    expect(b.pbxVersion).toBe('20.0.7.1080');
    expect(b.lifetimeSource).toBe('expires_in_minutes');
    await tenMinutesOfTokens(b, clock);
    expect(sim!.stats.tokenRequests).toBe(3);
  });

  it('20.0.7, version from a provider: expires_in 60 is an hour, one token in ten minutes', async () => {
    const clock = await opaqueSim('20.0.7.1080');
    const b = broker(sim!, clock, () => '20.0.7.1080');
    await tenMinutesOfTokens(b, clock);
    expect(sim!.stats.tokenRequests).toBe(1);
    expect(b.expiresAt).toBe(Date.parse('2026-11-23T11:00:00Z'));
  });

  it('20.0.9, version set: expires_in 3600 is seconds, one token in ten minutes', async () => {
    const clock = await opaqueSim('20.0.9.2000');
    const b = broker(sim!, clock);
    b.setPbxVersion('20.0.9.2000');
    await tenMinutesOfTokens(b, clock);
    expect(sim!.stats.tokenRequests).toBe(1);
    expect(b.lifetimeSource).toBe('expires_in_seconds');
    expect(b.expiresAt).toBe(Date.parse('2026-11-23T11:00:00Z'));
  });
});
