// The simulator per 3CX release (docs/3cx-v20.md): the default profile
// (20.0.7) and 20.0.9, each behaviour checked in both. Call Control is left
// at its default monitored list here: the route point plus three extensions.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MONITORED_DNS } from '../../../relay/sim/callcontrol-routes.js';
import { outsideParty } from '../../../relay/sim/cdr-rows.js';
import { DEFAULT_PBX_VERSION, pbxProfile } from '../../../relay/sim/pbx-profile.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { SocketPool, accessToken, bearerFetch, requestToken } from '../../support/sim-client.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');
const sockets = new SocketPool();
let sim: Simulator;
let started: Simulator | null = null;

afterEach(async () => {
  sockets.closeAll();
  await started?.stop();
  started = null;
});

function claims(token: string): { header: Record<string, unknown>; payload: Record<string, number> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>, payload: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, number> };
}

it('plays 20.0.7 unless told otherwise, and refuses a version it cannot read', () => {
  expect(DEFAULT_PBX_VERSION).toBe('20.0.7.1080');
  expect(pbxProfile()).toEqual({ version: '20.0.7.1080', expiresInUnit: 'minutes' });
  expect(pbxProfile('20.0.8')).toEqual({ version: '20.0.8.0', expiresInUnit: 'minutes' });
  expect(pbxProfile('20.0.9.2000').expiresInUnit).toBe('seconds');
  expect(() => pbxProfile('V20 Update 7')).toThrow(/not like 20\.0\.7/);
});

it('writes trunk sides of call records as dn type provider, entity external_line', () => {
  expect(outsideParty('+4930111222', '+493012345600')).toMatchObject({ dnType: 'provider', entityType: 'external_line', phoneNumber: '+4930111222' });
});

describe.each([
  { pbxVersion: undefined, label: 'default (20.0.7)', version: '20.0.7.1080', expiresIn: 60 },
  { pbxVersion: '20.0.9.2000', label: '20.0.9', version: '20.0.9.2000', expiresIn: 3600 },
])('$label', ({ pbxVersion, version, expiresIn }) => {
  async function start(): Promise<Simulator> {
    sim = await startSimulator({ clientId: 'relay', clientSecret: 'sek', clock: { now: () => T0 }, ...(pbxVersion ? { pbxVersion } : {}) });
    started = sim;
    return sim;
  }

  it("states expires_in in the version's unit, with a JWT whose exp is the unit-free truth", async () => {
    await start();
    const { status, body } = await requestToken(sim);
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: expiresIn, refresh_token: null });
    const token = String(body.access_token);
    expect(token.split('.')).toHaveLength(3);
    const { header, payload } = claims(token);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload.iat).toBe(T0 / 1000);
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('answers bad credentials 401 unauthorized with the documented body', async () => {
    await start();
    const { status, body } = await requestToken(sim, { clientSecret: 'wrong' });
    expect([status, body]).toEqual([401, { error: 'unauthorized', error_description: 'The request requires valid user authentication.' }]);
  });

  it('reports its version in SystemStatus, with no invented Uptime', async () => {
    await start();
    const { body } = await bearerFetch(sim, await accessToken(sim), '/xapi/v1/SystemStatus');
    expect(body).toMatchObject({ Version: version, LicenseActive: true, ProductCode: expect.any(String), MaxSimCalls: 32 });
    expect(body).not.toHaveProperty('Uptime');
    expect(sim.pbxVersion).toBe(version);
  });

  it('answers Queues({Id})/Agents, and 404 for a queue that does not exist', async () => {
    await start();
    const token = await accessToken(sim);
    const agents = await bearerFetch(sim, token, '/xapi/v1/Queues(3)/Agents');
    expect(agents.status).toBe(200);
    expect((agents.body as { value: unknown[] }).value).toEqual([
      { Id: 14, Number: '113', Name: 'Noah Schmidt', SkillGroup: '1' },
      { Id: 15, Number: '114', Name: 'Olivia Brown', SkillGroup: '1' },
      { Id: 16, Number: '115', Name: 'Paul Meyer', SkillGroup: '1' },
    ]);
    expect((await bearerFetch(sim, token, '/xapi/v1/Queues(3)/Agents?$select=Number&$top=1')).body).toMatchObject({ value: [{ Number: '113' }] });
    expect((await bearerFetch(sim, token, '/xapi/v1/Queues(9)/Agents')).status).toBe(404);
  });

  it('shows a queued caller in XAPI as Talking with the queue as Callee', async () => {
    await start();
    const id = sim.placeInboundCall({ from: '+4930555111', queue: '801' });
    const { body } = await bearerFetch(sim, await accessToken(sim), '/xapi/v1/ActiveCalls');
    expect((body as { value: unknown[] }).value).toEqual([expect.objectContaining({ Id: id, Caller: '+4930555111', Callee: '801 Support', Status: 'Talking' })]);
  });

  it('Call Control sees only the route point and the monitored extensions; XAPI sees and drops every call', async () => {
    await start();
    const token = await accessToken(sim);
    const state = (await bearerFetch(sim, token, '/callcontrol')).body as Array<{ dn: string; type: string }>;
    expect(state.map((d) => d.dn)).toEqual(['relay', ...DEFAULT_MONITORED_DNS]);
    expect(sim.monitoredDns).toEqual(DEFAULT_MONITORED_DNS);
    expect(state[0]?.type).toBe('Wroutepoint');
    const frames = await sockets.open(sim, token);

    const unmonitored = sim.placeOutgoingCall('110', '111');
    const queued = sim.placeInboundCall();
    const monitored = sim.placeOutgoingCall('100', '+4930111222');
    const xapi = ((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).body as { value: Array<{ Id: number }> }).value;
    expect(xapi.map((c) => c.Id)).toEqual([unmonitored, queued, monitored]);

    // Only the monitored extension's participant is announced and readable.
    await frames.waitForCount(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(frames.frames.map((f) => f.event.entity.split('/')[2])).toEqual(['100']);
    for (const dn of ['110', '111', '800']) {
      expect([dn, (await bearerFetch(sim, token, `/callcontrol/${dn}/participants`)).status]).toEqual([dn, 404]);
      expect((await bearerFetch(sim, token, `/callcontrol/${dn}/makecall`, { method: 'POST', body: JSON.stringify({ destination: '101' }) })).status).toBe(404);
    }
    const [p] = (await bearerFetch(sim, token, '/callcontrol/100/participants')).body as Array<{ id: number; callid: number }>;
    expect(p?.callid).toBe(monitored);

    // XAPI's DropCall ends a call Call Control cannot see.
    const drop = await bearerFetch(sim, token, `/xapi/v1/ActiveCalls(${unmonitored})/Pbx.DropCall`, { method: 'POST' });
    expect([drop.status, drop.body]).toEqual([200, {}]);
    expect(sim.activeCalls().map((c) => c.Id)).toEqual([queued, monitored]);
    expect(sim.stats.droppedCallIds).toEqual([unmonitored]);
  });

  it("carries referred_by_dn/referred_by_type: the transferring DN on the transfer target's participant, None otherwise", async () => {
    await start();
    const token = await accessToken(sim);
    const id = sim.placeInboundCall();
    sim.answer(id, '100');
    const before = (await bearerFetch(sim, token, '/callcontrol/100/participants')).body as Array<Record<string, unknown>>;
    expect(before[0]).toMatchObject({ referred_by_dn: '', referred_by_type: 'None', on_behalf_of_dn: '800', on_behalf_of_type: 'Wqueue' });
    sim.transfer(id, '101');
    const target = (await bearerFetch(sim, token, '/callcontrol/101/participants')).body as Array<Record<string, unknown>>;
    expect(target).toEqual([expect.objectContaining({ callid: id, status: 'Ringing', referred_by_dn: '100', referred_by_type: 'Wextension' })]);
  });
});
