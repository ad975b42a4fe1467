// The simulator against the 3CX V20 protocol (docs/3cx-v20.md), spoken with
// plain fetch and ws: token endpoint, XAPI, Call Control REST and WebSocket.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { CallControlFrames, SocketPool, accessToken, bearerFetch, requestToken } from '../../support/sim-client.js';

interface ActiveCallBody { '@odata.context': string; value: Array<Record<string, unknown>> }
interface CcEntry { dn: string; type: string; devices: Array<{ dn: string; device_id: string; user_agent: string }>; participants: Array<Record<string, unknown>> }

let sim: Simulator;
let clockMs: number;
const sockets = new SocketPool();

beforeEach(async () => {
  clockMs = Date.parse('2026-11-23T10:00:00Z');
  // Protocol shapes on every DN: Call Control monitors all of them here
  // (simulator-versions.test.ts covers the default, restricted view).
  sim = await startSimulator({ clientId: 'relaytest', clientSecret: 'test-secret', tokenLifetimeS: 60, callControlMonitors: 'all', clock: { now: () => clockMs } });
});

afterEach(async () => {
  sockets.closeAll();
  await sim.stop();
});

describe('token endpoint', () => {
  it('issues a Bearer token with the configured lifetime (20.0.7: expires_in in minutes)', async () => {
    const { status, body } = await requestToken(sim);
    expect(status).toBe(200);
    expect(body).toEqual({ token_type: 'Bearer', expires_in: 1, access_token: expect.any(String), refresh_token: null });
    expect(String(body.access_token)).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sim.stats.tokenRequests).toBe(1);
  });

  it("answers bad credentials with 3CX's 401 unauthorized body", async () => {
    for (const override of [{ clientSecret: 'wrong' }, { clientId: 'other' }]) {
      const { status, body } = await requestToken(sim, override);
      expect(status).toBe(401);
      expect(body).toEqual({ error: 'unauthorized', error_description: 'The request requires valid user authentication.' });
      expect(JSON.stringify(body)).not.toContain('test-secret');
    }
    const grant = await requestToken(sim, { grantType: 'password' });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe('unsupported_grant_type');
  });

  it('revokes the previous token when a new one is issued (one token per client)', async () => {
    const first = await accessToken(sim);
    expect((await bearerFetch(sim, first, '/xapi/v1/ActiveCalls')).status).toBe(200);
    const second = await accessToken(sim);
    expect(second).not.toBe(first);
    expect((await bearerFetch(sim, first, '/xapi/v1/ActiveCalls')).status).toBe(401);
    expect((await bearerFetch(sim, second, '/xapi/v1/ActiveCalls')).status).toBe(200);
  });

  it('expires tokens after expires_in seconds', async () => {
    const token = await accessToken(sim);
    clockMs += 59_000;
    expect((await bearerFetch(sim, token, '/xapi/v1/SystemStatus')).status).toBe(200);
    clockMs += 1_000;
    const expired = await bearerFetch(sim, token, '/xapi/v1/SystemStatus');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('refuses XAPI and Call Control without a valid token', async () => {
    for (const path of ['/xapi/v1/ActiveCalls', '/callcontrol']) {
      expect((await fetch(`${sim.url}${path}`)).status).toBe(401);
      expect((await bearerFetch(sim, 'not-a-token', path)).status).toBe(401);
    }
    const basic = await fetch(`${sim.url}/xapi/v1/ActiveCalls`, { headers: { authorization: `Basic ${Buffer.from('relaytest:test-secret').toString('base64')}` } });
    expect(basic.status).toBe(401);
  });
});

describe('XAPI', () => {
  it('lists ActiveCalls in an OData envelope equal to activeCalls()', async () => {
    const token = await accessToken(sim);
    const empty = await bearerFetch(sim, token, '/xapi/v1/ActiveCalls');
    expect(empty.body).toEqual({ '@odata.context': `${sim.url}/xapi/v1/$metadata#ActiveCalls`, value: [] });

    const id = sim.placeInboundCall({ from: '+4930111222', queue: '801' });
    const { status, body } = await bearerFetch(sim, token, '/xapi/v1/ActiveCalls');
    expect(status).toBe(200);
    const value = (body as ActiveCallBody).value;
    expect(value).toEqual([{
      Id: id, Caller: '+4930111222', Callee: '801 Support', Status: 'Talking',
      LastChangeStatus: '2026-11-23T10:00:00Z', EstablishedAt: '2026-11-23T10:00:00Z', ServerNow: '2026-11-23T10:00:00Z',
    }]);
    expect(value).toEqual(sim.activeCalls());

    clockMs += 5_000;
    sim.ring(id, '106');
    clockMs += 3_000;
    sim.answer(id);
    const talking = ((await bearerFetch(sim, token, '/xapi/v1/ActiveCalls')).body as ActiveCallBody).value[0];
    // Established when the queue took the call; the agent's answer changes the status, not that time.
    expect(talking).toMatchObject({ Id: id, Callee: '106 Grace Kim', Status: 'Talking', EstablishedAt: '2026-11-23T10:00:00Z', LastChangeStatus: '2026-11-23T10:00:08Z' });
  });

  it('pages with $top and $skip and rejects bad values', async () => {
    const token = await accessToken(sim);
    const ids = [sim.placeInboundCall(), sim.placeInboundCall(), sim.placeInboundCall()];
    const ids2 = async (q: string) => ((await bearerFetch(sim, token, `/xapi/v1/ActiveCalls${q}`)).body as ActiveCallBody).value.map((c) => c.Id);
    expect(await ids2('?$top=2')).toEqual(ids.slice(0, 2));
    expect(await ids2('?$skip=1&$top=1')).toEqual([ids[1]]);
    expect(await ids2('?$skip=5')).toEqual([]);
    const bad = await bearerFetch(sim, token, '/xapi/v1/ActiveCalls?$top=-1');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });

  it('serves the directory as Users and Queues with $select, $top, $skip and $expand=Agents', async () => {
    const token = await accessToken(sim);
    const get = async (q: string) => (await bearerFetch(sim, token, `/xapi/v1/${q}`)).body as ActiveCallBody;
    const users = await get('Users');
    expect(users['@odata.context']).toBe(`${sim.url}/xapi/v1/$metadata#Users`);
    expect(users.value).toHaveLength(40);
    expect(users.value[0]).toMatchObject({ Id: 1, Number: '100', FirstName: 'Anna', LastName: 'Ford', DisplayName: 'Anna Ford', EmailAddress: 'anna.ford@example.com', Enabled: true });
    // The same people XAPI names in ActiveCalls ("100 Anna Ford").
    const id = sim.placeOutgoingCall('105', '+4930111222');
    const call = (await get('ActiveCalls')).value.find((c) => c.Id === id)!;
    expect(call.Caller).toBe(`105 ${String(users.value.find((u) => u.Number === '105')!.DisplayName)}`);

    expect((await get('Users?$select=Number,DisplayName&$skip=2&$top=3')).value).toEqual([
      { Number: '102', DisplayName: 'Chloe Dubois' }, { Number: '103', DisplayName: 'David Novak' }, { Number: '104', DisplayName: 'Elena Rossi' },
    ]);
    expect((await get('Users?$skip=39')).value.map((u) => u.Number)).toEqual(['139']);
    expect((await get('Users?$skip=50')).value).toEqual([]);

    const queues = await get('Queues');
    expect(queues.value.map((q) => [q.Number, q.Name])).toEqual([['800', 'Sales'], ['801', 'Support'], ['802', 'Billing']]);
    expect(queues.value[0]).not.toHaveProperty('Agents');
    const expanded = await get('Queues?$select=Number&$expand=Agents&$top=1');
    expect(expanded.value).toEqual([{ Number: '800', Agents: expect.arrayContaining([{ Id: 2, Number: '101', Name: 'Ben Carter', SkillGroup: '1' }]) }]);
    expect((expanded.value[0]!.Agents as unknown[])).toHaveLength(6);

    for (const bad of ['Users?$select=Password', 'Users?$top=-1', 'Users?$skip=x', 'Queues?$expand=Members', 'Users?$expand=Agents', 'Users?$select=']) {
      const r = await bearerFetch(sim, token, `/xapi/v1/${bad}`);
      expect([bad, r.status]).toEqual([bad, 400]);
      expect(r.body).toMatchObject({ error: { code: 'BadRequest', message: expect.any(String) } });
    }
    expect((await fetch(`${sim.url}/xapi/v1/Users`)).status).toBe(401);
  });

  it('drops a call with Pbx.DropCall (200, action result) and answers 404 with an OData error for an unknown one', async () => {
    const token = await accessToken(sim);
    const id = sim.placeInboundCall();
    sim.answer(id, '101');
    const drop = await bearerFetch(sim, token, `/xapi/v1/ActiveCalls(${id})/Pbx.DropCall`, { method: 'POST' });
    expect(drop.status).toBe(200);
    expect(drop.body).toEqual({});
    expect(sim.activeCalls()).toEqual([]);
    expect(sim.stats.droppedCallIds).toEqual([id]);
    const again = await bearerFetch(sim, token, `/xapi/v1/ActiveCalls(${id})/Pbx.DropCall`, { method: 'POST' });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: { code: 'NotFound', message: expect.stringContaining(String(id)) } });
  });

  it('serves SystemStatus as a health probe and counts XAPI requests', async () => {
    const token = await accessToken(sim);
    sim.placeInboundCall();
    const { status, body } = await bearerFetch(sim, token, '/xapi/v1/SystemStatus');
    expect(status).toBe(200);
    expect(body).toMatchObject({ CallsActive: 1, Activated: true, LicenseActive: true, Version: '20.0.7.1080', ExtensionsTotal: 43, TrunksTotal: 1 });
    expect(body).not.toHaveProperty('Uptime');
    expect(sim.stats.xapiRequests).toBe(1);
    const unknown = await bearerFetch(sim, token, '/xapi/v1/NoSuchCollection');
    expect(unknown.status).toBe(404);
  });
});

describe('Call Control REST', () => {
  it('shows monitored DNs with devices, and participants whose callid is the XAPI Id', async () => {
    const token = await accessToken(sim);
    const idle = (await bearerFetch(sim, token, '/callcontrol')).body as CcEntry[];
    expect(idle).toEqual(sim.callControlState());
    // 'all': the 3 queues and 40 extensions.
    expect(sim.monitoredDns).toHaveLength(43);
    expect(idle.find((d) => d.dn === 'relaytest')).toMatchObject({ type: 'Wroutepoint', participants: [] });
    expect(idle.find((d) => d.dn === '800')).toMatchObject({ type: 'Wqueue', devices: [] });
    expect(idle.find((d) => d.dn === '100')?.devices[0]).toMatchObject({ dn: '100', device_id: expect.any(String), user_agent: expect.any(String) });

    const id = sim.placeInboundCall({ from: '+4940555666' });
    const queue = (await bearerFetch(sim, token, '/callcontrol/800/participants')).body as Array<Record<string, unknown>>;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ dn: '800', status: 'Ringing', callid: id, party_caller_id: '+4940555666', party_did: expect.stringMatching(/^\+49/) });
    for (const field of ['id', 'status', 'dn', 'party_caller_name', 'party_dn', 'party_caller_id', 'party_did', 'device_id', 'party_dn_type',
      'direct_control', 'callid', 'legid', 'originated_by_dn', 'originated_by_type', 'referred_by_dn', 'referred_by_type', 'on_behalf_of_dn', 'on_behalf_of_type']) {
      expect(queue[0]).toHaveProperty(field);
    }
    const one = await bearerFetch(sim, token, `/callcontrol/800/participants/${String(queue[0]?.id)}`);
    expect(one.body).toEqual(queue[0]);
    expect((await bearerFetch(sim, token, '/callcontrol/800/participants/99999')).status).toBe(404);
    expect((await bearerFetch(sim, token, '/callcontrol/555/participants')).status).toBe(404);
  });

  it('maps the call through ring, answer and transfer', async () => {
    const token = await accessToken(sim);
    const id = sim.placeInboundCall();
    sim.ring(id, '102');
    expect(sim.activeCalls()[0]?.Status).toBe('Ringing');
    const ringing = (await bearerFetch(sim, token, '/callcontrol/102/participants')).body as Array<Record<string, unknown>>;
    expect(ringing[0]).toMatchObject({ status: 'Ringing', callid: id });

    const answered = await bearerFetch(sim, token, `/callcontrol/102/participants/${String(ringing[0]?.id)}/answer`, { method: 'POST', body: '{}' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ result: { status: 'Connected', callid: id } });
    expect(sim.activeCalls()[0]?.Status).toBe('Talking');
    expect((await bearerFetch(sim, token, '/callcontrol/800/participants')).body).toEqual([]);

    sim.transfer(id, '105');
    expect(sim.activeCalls()[0]).toMatchObject({ Status: 'Transferring', Callee: '105 Felix Wagner' });
    expect((await bearerFetch(sim, token, '/callcontrol/102/participants')).body).toEqual([]);
    expect((await bearerFetch(sim, token, '/callcontrol/105/participants')).body).toEqual([
      expect.objectContaining({ status: 'Ringing', callid: id, referred_by_dn: '102', referred_by_type: 'Wextension' }),
    ]);
    sim.answer(id);
    expect(sim.activeCalls()[0]?.Status).toBe('Talking');
    expect((await bearerFetch(sim, token, '/callcontrol/105/participants')).body).toEqual([expect.objectContaining({ status: 'Connected' })]);
  });

  it("after a transfer, the caller's own participant names the new callee, announced as an upsert", async () => {
    const token = await accessToken(sim);
    const id = sim.placeOutgoingCall('103', '104');
    sim.answer(id);
    const before = (await bearerFetch(sim, token, '/callcontrol/103/participants')).body as Array<Record<string, unknown>>;
    expect(before).toEqual([expect.objectContaining({ callid: id, party_dn: '104', party_caller_id: '104', party_caller_name: 'Elena Rossi' })]);
    const frames = await sockets.open(sim, token);

    sim.transfer(id, '105');
    const after = (await bearerFetch(sim, token, '/callcontrol/103/participants')).body as Array<Record<string, unknown>>;
    expect(after).toEqual([expect.objectContaining({
      id: before[0]!.id, callid: id, status: 'Connected', party_dn: '105', party_caller_id: '105', party_caller_name: 'Felix Wagner', party_dn_type: 'Wextension', party_did: '',
    })]);
    // 104 removed, 105 ringing, 103 changed: a client that refetches on upserts sees the new callee.
    await frames.waitForCount(3);
    expect(frames.frames.map((f) => [f.event.event_type, f.event.entity])).toContainEqual([0, `/callcontrol/103/participants/${String(before[0]!.id)}`]);
    sim.answer(id);
    expect((await bearerFetch(sim, token, '/callcontrol/103/participants')).body).toEqual([expect.objectContaining({ party_dn: '105' })]);
  });

  it('drops a participant, ending its call', async () => {
    const token = await accessToken(sim);
    const id = sim.placeInboundCall();
    sim.answer(id, '103');
    const [p] = (await bearerFetch(sim, token, '/callcontrol/103/participants')).body as Array<{ id: number }>;
    const drop = await bearerFetch(sim, token, `/callcontrol/103/participants/${p?.id}/drop`, { method: 'POST', body: '{}' });
    expect(drop.status).toBe(200);
    expect(sim.activeCalls()).toEqual([]);
    expect(sim.stats.droppedCallIds).toEqual([id]);
    expect((await bearerFetch(sim, token, `/callcontrol/103/participants/${p?.id}/drop`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('makes calls from a DN and from a device', async () => {
    const token = await accessToken(sim);
    const out = await bearerFetch(sim, token, '/callcontrol/100/makecall', { method: 'POST', body: JSON.stringify({ destination: '+4930999888', timeout: 30 }) });
    expect(out.status).toBe(200);
    const result = (out.body as { result: Record<string, unknown> }).result;
    expect(result).toMatchObject({ dn: '100', status: 'Dialing', party_caller_id: '+4930999888' });
    expect(sim.activeCalls()).toEqual([expect.objectContaining({ Id: result.callid, Caller: '100 Anna Ford', Callee: '+4930999888', Status: 'Dialing' })]);
    sim.answer(result.callid as number);
    expect(sim.activeCalls()[0]?.Status).toBe('Talking');

    const device = encodeURIComponent('sip:101@127.0.0.1:5060');
    const internal = await bearerFetch(sim, token, `/callcontrol/101/devices/${device}/makecall`, { method: 'POST', body: JSON.stringify({ destination: '104' }) });
    expect(internal.status).toBe(200);
    const callId = (internal.body as { result: { callid: number } }).result.callid;
    expect(sim.activeCalls().find((c) => c.Id === callId)).toMatchObject({ Status: 'Ringing', Callee: '104 Elena Rossi' });
    expect((await bearerFetch(sim, token, '/callcontrol/104/participants')).body).toEqual([expect.objectContaining({ status: 'Ringing', callid: callId })]);

    expect((await bearerFetch(sim, token, `/callcontrol/101/devices/${encodeURIComponent('sip:999@x')}/makecall`, { method: 'POST', body: JSON.stringify({ destination: '104' }) })).status).toBe(404);
    expect((await bearerFetch(sim, token, '/callcontrol/100/makecall', { method: 'POST', body: JSON.stringify({}) })).status).toBe(400);
    expect(sim.stats.callControlRequests).toBeGreaterThanOrEqual(4);
  });
});

describe('Call Control WebSocket', () => {
  it('refuses an upgrade without a valid Bearer token', async () => {
    await expect(CallControlFrames.open(sim, null)).rejects.toThrow(/401/);
    await expect(CallControlFrames.open(sim, 'bogus')).rejects.toThrow(/401/);
  });

  it('notifies upserts and removes with increasing sequence numbers; entities resolve over REST', async () => {
    const token = await accessToken(sim);
    const frames = await sockets.open(sim, token);
    expect(sim.stats.wsConnections).toBe(1);
    expect(sim.stats.openWebSockets).toBe(1);

    const id = sim.placeInboundCall();
    await frames.waitForCount(1);
    const created = frames.frames[0];
    expect(created).toMatchObject({ sequence: expect.any(Number), event: { event_type: 0, entity: expect.stringMatching(/^\/callcontrol\/800\/participants\/\d+$/), attached_data: null } });
    const entity = await bearerFetch(sim, token, created?.event.entity ?? '');
    expect(entity.body).toMatchObject({ callid: id, status: 'Ringing' });

    sim.ring(id, '101');
    sim.answer(id);
    // ring: agent upsert; answer: agent upsert (Connected), queue remove
    await frames.waitForCount(4);
    const events = frames.frames.map((f) => [f.event.event_type, f.event.entity.split('/')[2]]);
    expect(events).toEqual([[0, '800'], [0, '101'], [0, '101'], [1, '800']]);

    sim.hangUp(id);
    await frames.waitForCount(5);
    const all = frames.frames;
    expect(all[4]?.event).toMatchObject({ event_type: 1, entity: expect.stringMatching(/^\/callcontrol\/101\//) });
    const seqs = all.map((f) => f.sequence);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    expect((await bearerFetch(sim, token, all[4]?.event.entity ?? '')).status).toBe(404);
  });

  it('does not replay events to a socket that connects later', async () => {
    const token = await accessToken(sim);
    const id = sim.placeInboundCall();
    sim.answer(id, '100');
    const late = await sockets.open(sim, token);
    sim.hangUp(id);
    await late.waitForCount(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(late.frames.map((f) => f.event.event_type)).toEqual([1]);
  });
});
