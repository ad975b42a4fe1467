// The version and licence probe (XAPI SystemStatus at start and on every
// reconnect) and the clear messages an admin gets on first contact, each
// produced from the simulator: wrong client id or secret, a 403 from XAPI
// (licence or role), a PBX too old for call records. Plus XAPI click-to-call.
import { afterEach, describe, expect, it } from 'vitest';
import type { RelayError } from '../../../relay/core/relay-error.js';
import { XapiClient } from '../../../relay/pbx/xapi-client.js';
import { startHarness } from '../../support/relay-harness.js';
import { startKit, steppedClock, type Kit } from './pbx-test-kit.js';

const rejection = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as RelayError);

describe('PBX status probe', () => {
  let kit: Kit | null = null;
  afterEach(async () => {
    await kit?.close();
    kit = null;
  });

  it('reads SystemStatus and the Users count at start: version, licence, extensions, trunks', async () => {
    kit = await startKit({ pbxVersion: '20.0.7.1080' });
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    await xapi.start();
    expect(xapi.health().state).toBe('connected');
    const pbx = xapi.pbxStatus()!;
    expect(pbx).toMatchObject({ version: '20.0.7.1080', callRecordsAvailable: true, notices: [] });
    expect(pbx.extensions.total).toEqual(expect.any(Number));
    expect(Date.parse(pbx.asOf)).not.toBeNaN();
    expect(xapi.userCount()).toBeGreaterThan(0);
  });

  it('reads it again on every reconnect', async () => {
    const clock = steppedClock();
    kit = await startKit({ pbxVersion: '20.0.7.1080', clock });
    const xapi = kit.own(new XapiClient({ broker: kit.broker({ clock }), clock }));
    await xapi.start();
    const first = xapi.pbxStatus()!.asOf;
    clock.advance(60_000);
    await xapi.reconnect();
    expect(Date.parse(xapi.pbxStatus()!.asOf) - Date.parse(first)).toBe(60_000);
  });

  it('a probe that failed is tried again by a later health check, a minute on, without touching the state', async () => {
    const clock = steppedClock();
    kit = await startKit({ clock });
    kit.sim.faults.xapiForbidden = true;
    const xapi = kit.own(new XapiClient({ broker: kit.broker({ clock }), clock }));
    await xapi.start();
    expect(xapi.pbxStatus()).toBeNull();
    kit.sim.faults.xapiForbidden = false;
    await xapi.check();
    expect(xapi.health().state).toBe('connected');
    expect(xapi.pbxStatus()).toBeNull(); // not yet: a minute has not passed
    const states: string[] = [];
    xapi.on('state', (h) => states.push(h.state));
    clock.advance(61_000);
    await xapi.check();
    expect(xapi.pbxStatus()).not.toBeNull();
    expect(states).toEqual([]);
  });

  it('a PBX before 20.0.6: call records unavailable, live features fine', async () => {
    kit = await startKit({ pbxVersion: '20.0.5.917' });
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    await xapi.start();
    expect(xapi.health().state).toBe('connected');
    const pbx = xapi.pbxStatus()!;
    expect(pbx.callRecordsAvailable).toBe(false);
    expect(pbx.notices).toEqual([{
      code: 'pbx_version_without_cdroutput',
      message: expect.stringMatching(/20\.0\.5\.917 is older than 20\.0\.6.*no cdroutput.*call records are unavailable, live calls and the other live features work/),
    }]);
    expect(await xapi.getActiveCalls()).toEqual([]);
  });

  it('a wrong client secret says so (not a generic error)', async () => {
    kit = await startKit();
    const xapi = kit.own(new XapiClient({ broker: kit.broker({ secret: 'not-the-secret' }) }));
    await xapi.start();
    expect(xapi.health().state).toBe('error');
    expect(xapi.health().lastError).toMatch(/rejected the client id "relay" or its secret/);
    expect(xapi.health().lastError).toMatch(/Integrations → API/);
    expect(xapi.health().lastError).not.toContain('not-the-secret');
  });

  it('a 403 from XAPI names the licence (Enterprise) or the role, and says the credentials were fine', async () => {
    kit = await startKit();
    kit.sim.faults.xapiForbidden = true;
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    await xapi.start();
    expect(xapi.health().state).toBe('error');
    expect(xapi.health().lastError).toMatch(/HTTP 403.*Enterprise licence.*role.*client id and secret themselves were accepted/);
    const e = await rejection(xapi.getActiveCalls());
    expect([e.code, e.status]).toEqual(['upstream_forbidden', 502]);
    kit.sim.faults.xapiForbidden = false;
    await xapi.reconnect();
    expect(xapi.health().state).toBe('connected');
    expect(xapi.pbxStatus()).not.toBeNull();
  });

  it('places a call through Users/Pbx.MakeCall; a 200 without result is a failure with 3CX\'s reason', async () => {
    kit = await startKit();
    const xapi = kit.own(new XapiClient({ broker: kit.broker() }));
    await xapi.start();
    const made = await xapi.makeCall('105', '+4930123123');
    expect(kit.sim.activeCalls()).toEqual([expect.objectContaining({ Id: Number(made.callId), Caller: expect.stringMatching(/^105 /) })]);
    const e = await rejection(xapi.makeCall('799', '+4930123123'));
    expect([e.code, e.status, e.message]).toEqual(['makecall_failed', 502, '3CX did not place the call from 799: Extension 799 not found']);
    expect(xapi.health().state).toBe('connected');
  });
});

describe('/relay/health', () => {
  it('shows the PBX version, licence state and the Call Control coverage', async () => {
    const h = await startHarness({ cdr: 'none' });
    try {
      const body = (await (await h.req('/relay/health')).json()) as { pbx: { version: string; licenseActive: boolean | null }; callControlCoverage: { summary: string } };
      expect(body.pbx.version).toEqual(expect.any(String));
      expect(body.pbx).toHaveProperty('licenseActive');
      expect(body.callControlCoverage.summary).toMatch(/^Call Control monitors \d+ of \d+ extensions$/);
    } finally {
      await h.close();
    }
  });
});
