// Participant -> ActiveCall mapping. Fixtures pin the rules; the scenario
// tests drive the simulator's in-memory call model (the same one its XAPI and
// Call Control routes serve) through events, as the client does, and compare
// the derived list with the model's own XAPI ActiveCalls.
import { describe, expect, it } from 'vitest';
import type { ActiveCall } from '../../../relay/contract/api-types.js';
import { CallControlState, callStatusOf, fullStateSchema, participantSchema } from '../../../relay/pbx/callcontrol-state.js';
import { CallModel } from '../../../relay/sim/call-model.js';
import { callControlView } from '../../../relay/sim/callcontrol-routes.js';

const T0 = Date.parse('2026-11-23T10:00:00Z');

function participant(over: Record<string, unknown>) {
  return participantSchema.parse({
    id: 1, status: 'Connected', dn: '100', party_caller_name: '', party_dn: '10000', party_caller_id: '+4930123456',
    party_did: '', device_id: '', party_dn_type: 'Wexternalline', direct_control: false, callid: 1234, legid: 1,
    originated_by_dn: '800', originated_by_type: 'Wqueue', on_behalf_of_dn: '800', on_behalf_of_type: 'Wqueue', ...over,
  });
}

describe('callStatusOf', () => {
  const m = (status: string, onQueue = false) => ({ status, onQueue });
  it('maps Call Control statuses to XAPI ones', () => {
    expect(callStatusOf([m('Connected')], true)).toBe('Talking');
    expect(callStatusOf([m('Ringing')], false)).toBe('Ringing');
    expect(callStatusOf([m('Dialing')], false)).toBe('Dialing');
    expect(callStatusOf([m('Dialing'), m('Ringing')], false)).toBe('Ringing');
    expect(callStatusOf([m('Ringing', true)], false)).toBe('Routing');
    expect(callStatusOf([m('Connected'), m('Ringing')], true)).toBe('Transferring');
    expect(callStatusOf([m('Held')], false)).toBe('Held');
    expect(callStatusOf([m('')], false)).toBe('Unknown');
  });
});

describe('CallControlState', () => {
  it('derives an inbound call: caller is the outside number, callee the DN', () => {
    const s = new CallControlState();
    s.upsert('100', participant({ id: 42 }), T0);
    expect(s.activeCalls(T0 + 5000)).toEqual([{
      Id: 1234, Caller: '+4930123456', Callee: '100', Status: 'Talking',
      LastChangeStatus: '2026-11-23T10:00:00.000Z', EstablishedAt: '2026-11-23T10:00:00.000Z', ServerNow: '2026-11-23T10:00:05.000Z',
    } satisfies ActiveCall]);
  });

  it('writes internal parties as "100 Anna Ford" and learns a DN\'s own name from the other side', () => {
    const s = new CallControlState();
    s.upsert('100', participant({ id: 1, callid: 7, status: 'Dialing', party_dn: '101', party_caller_id: '101', party_caller_name: 'Ben Carter', originated_by_dn: '100', originated_by_type: 'Wextension', on_behalf_of_dn: '' }), T0);
    s.upsert('101', participant({ id: 2, callid: 7, status: 'Ringing', party_dn: '100', party_caller_id: '100', party_caller_name: 'Anna Ford', originated_by_dn: '100', originated_by_type: 'Wextension', on_behalf_of_dn: '' }), T0);
    const [call] = s.activeCalls(T0);
    expect(call).toMatchObject({ Id: 7, Caller: '100 Anna Ford', Callee: '101 Ben Carter', Status: 'Ringing', EstablishedAt: null });
  });

  it('does not append a caller-id name to an outside number', () => {
    const s = new CallControlState();
    s.upsert('100', participant({ party_caller_name: 'ACME GmbH' }), T0);
    expect(s.activeCalls(T0)[0]!.Caller).toBe('+4930123456');
  });

  it('keeps EstablishedAt and reports Transferring when the answering leg is replaced by a ringing one', () => {
    const s = new CallControlState();
    s.upsert('101', participant({ id: 1, dn: '101' }), T0);
    // A blind transfer: the answering leg goes first (the call is briefly invisible), then the new one rings.
    expect(s.remove('101', 1)).toBe(true);
    expect(s.activeCalls(T0)).toEqual([]);
    s.upsert('102', participant({ id: 2, dn: '102', status: 'Ringing' }), T0 + 1000);
    const [call] = s.activeCalls(T0 + 2000);
    expect(call).toMatchObject({ Status: 'Transferring', Callee: '102', EstablishedAt: '2026-11-23T10:00:00.000Z', LastChangeStatus: '2026-11-23T10:00:01.000Z' });
  });

  it('reports whether an upsert changed anything, and removals of unknown participants as no change', () => {
    const s = new CallControlState();
    expect(s.upsert('100', participant({}), T0)).toBe(true);
    expect(s.upsert('100', participant({}), T0 + 1)).toBe(false);
    expect(s.upsert('100', participant({ status: 'Ringing' }), T0 + 2)).toBe(true);
    expect(s.remove('100', 999)).toBe(false);
  });

  it('rebuilds from a full state, skipping unreadable participants, and lists a call\'s participants', () => {
    const s = new CallControlState();
    s.upsert('105', participant({ id: 9, callid: 99 }), T0);
    const full = fullStateSchema.parse([
      { dn: '800', type: 'Wqueue', participants: [participant({ id: 3, dn: '800', status: 'Ringing', callid: 5 }), { id: 'x' }] },
      { dn: '100', type: 'Wextension', devices: [], participants: [participant({ id: 4, callid: 6 })] },
      { dn: '101', type: 'Wextension', participants: null },
    ]);
    expect(s.replaceAll(full, T0)).toEqual({ skipped: 1 });
    const calls = s.activeCalls(T0);
    expect(calls.map((c) => [c.Id, c.Status])).toEqual([[5, 'Routing'], [6, 'Talking']]);
    expect(s.participantsOf(5)).toEqual([{ dn: '800', id: 3 }]);
    expect(s.participantsOf(99)).toEqual([]);
  });
});

describe('CallControlState derived-list cache', () => {
  it('stamps ServerNow per answer and follows every kind of change', () => {
    const s = new CallControlState();
    s.upsert('100', participant({ id: 1, status: 'Ringing' }), T0);
    const first = s.activeCalls(T0);
    const again = s.activeCalls(T0 + 1000);
    expect(again[0]).toEqual({ ...first[0], ServerNow: '2026-11-23T10:00:01.000Z' });
    // Answers are copies: a caller editing one does not change the next.
    again[0]!.Status = 'edited';
    expect(s.activeCalls(T0)[0]!.Status).toBe('Ringing');

    s.upsert('100', participant({ id: 1, status: 'Connected' }), T0 + 2000);
    expect(s.activeCalls(T0 + 2000)[0]).toMatchObject({ Status: 'Talking', EstablishedAt: '2026-11-23T10:00:02.000Z' });
    s.upsert('101', participant({ id: 2, callid: 55 }), T0 + 3000);
    expect(s.activeCalls(T0 + 3000).map((c) => c.Id)).toEqual([55, 1234]);
    s.remove('100', 1);
    expect(s.activeCalls(T0 + 4000).map((c) => c.Id)).toEqual([55]);
    s.replaceAll(fullStateSchema.parse([{ dn: '800', type: 'Wqueue', participants: [participant({ id: 3, dn: '800', status: 'Ringing', callid: 5 })] }]), T0 + 5000);
    expect(s.activeCalls(T0 + 5000).map((c) => [c.Id, c.Status])).toEqual([[5, 'Routing']]);
    s.clear();
    expect(s.activeCalls(T0 + 6000)).toEqual([]);
  });
});

describe('derived list against the simulator model', () => {
  function harness() {
    let now = T0;
    const model = new CallModel({ now: () => now, routePointDn: 'relay' });
    const view = callControlView(model, 'relay', 'all');
    const state = new CallControlState();
    state.replaceAll(fullStateSchema.parse(view.state()), now);
    model.on('participant', (type, dn, id) => {
      if (type === 1) state.remove(dn, id);
      else state.upsert(dn, participantSchema.parse(model.findParticipant(dn, id)!.participant), now);
    });
    const number = (label: string) => label.split(' ')[0];
    // XAPI shows a caller waiting in a queue as Talking to the queue; Call
    // Control alone sees a ringing queue participant, which it calls Routing.
    const queued = (id: number) => { const c = model.get(id); return Boolean(c?.queueDn && c.agentDn === null); };
    const compare = () => {
      const ours = state.activeCalls(now);
      const theirs = model.activeCalls().sort((a, b) => a.Id - b.Id);
      expect(ours.map((c) => [c.Id, c.Status, number(c.Caller), number(c.Callee)])).toEqual(
        theirs.map((c) => [c.Id, queued(c.Id) ? 'Routing' : c.Status, number(c.Caller), number(c.Callee)]),
      );
      return ours;
    };
    return { model, state, compare, tick: (ms: number) => (now += ms), view };
  }

  it('follows an inbound queue call through ring, answer, transfer and hang-up', () => {
    const h = harness();
    const id = h.model.placeInbound({ from: '+4930555111', queueDn: '800' }).id;
    expect(h.compare()[0]).toMatchObject({ Status: 'Routing', Caller: '+4930555111', Callee: '800' });
    h.tick(1000);
    h.model.ring(id, '101');
    h.compare();
    h.tick(1000);
    h.model.answer(id);
    expect(h.compare()[0]!.EstablishedAt).toBe('2026-11-23T10:00:02.000Z');
    h.tick(1000);
    h.model.transfer(id, '102');
    h.compare();
    h.model.answer(id, '102');
    h.compare();
    h.model.hangUp(id);
    expect(h.compare()).toEqual([]);
  });

  it('follows outgoing and internal calls', () => {
    const h = harness();
    const out = h.model.placeOutgoing({ fromDn: '100', destination: '+4940777000' }).id;
    const internal = h.model.placeOutgoing({ fromDn: '103', destination: '104' }).id;
    const calls = h.compare();
    expect(calls.find((c) => c.Id === internal)).toMatchObject({ Caller: '103 David Novak', Callee: '104 Elena Rossi' });
    h.model.answer(out);
    h.model.answer(internal);
    h.compare();
    h.model.transfer(internal, '105');
    h.compare();
    h.model.hangUp(out);
    h.model.hangUp(internal, 'callee');
    expect(h.compare()).toEqual([]);
  });

  it('agrees after a full rebuild in the middle of calls', () => {
    const h = harness();
    const a = h.model.placeInbound({ from: '+4930555222', queueDn: '801' }).id;
    h.model.answer(a);
    h.model.placeOutgoing({ fromDn: '110', destination: '111' });
    const fresh = new CallControlState();
    fresh.replaceAll(fullStateSchema.parse(h.view.state()), T0);
    expect(fresh.activeCalls(T0).map((c) => [c.Id, c.Status])).toEqual(h.compare().map((c) => [c.Id, c.Status]));
  });
});
