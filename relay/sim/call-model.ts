// The simulated PBX's live calls, one state machine per call, seen two ways at
// once: as XAPI ActiveCalls (Status Ringing/Dialing/Talking/Transferring; a
// caller waiting in a queue is `Talking` with the queue as Callee, as
// docs/3cx-v20.md reports) and as Call Control participants (status
// Ringing/Dialing/Connected) that the Call Control view filters to the
// monitored DNs. Every participant change is
// emitted as an upsert (0) or remove (1) so the socket hub can notify; every
// finished call is emitted with its CDR legs.
import { EventEmitter } from 'node:events';
import type { ActiveCall } from '../contract/api-types.js';
import { dnParty, outsideParty, type CallLeg, type CdrParty } from './cdr-rows.js';
import { TRUNK, TRUNK_DIDS, displayParty, findExtension, findQueue } from './pbx-directory.js';

export type XapiStatus = 'Ringing' | 'Dialing' | 'Talking' | 'Transferring';
export type ParticipantStatus = 'Dialing' | 'Ringing' | 'Connected';

/** Call Control participant, field names as docs/3cx-v20.md lists them. */
export interface Participant {
  id: number;
  status: ParticipantStatus;
  dn: string;
  party_caller_name: string;
  party_dn: string;
  party_caller_id: string;
  party_did: string;
  device_id: string;
  party_dn_type: string;
  direct_control: boolean;
  callid: number;
  legid: number;
  originated_by_dn: string;
  originated_by_type: string;
  referred_by_dn: string;
  referred_by_type: string;
  on_behalf_of_dn: string;
  on_behalf_of_type: string;
}

const PARTY_FIELDS = ['party_caller_name', 'party_dn', 'party_caller_id', 'party_did', 'party_dn_type'] as const;
type PartyField = (typeof PARTY_FIELDS)[number];

export type CallKind = 'inbound' | 'outbound' | 'internal';
export type HangUpSide = 'caller' | 'callee';

interface OpenLeg {
  /** DN (or outside number) the leg goes to; the key to close it. */
  target: string;
  source: CdrParty;
  destination: CdrParty;
  startedAt: Date;
  answeredAt: Date | null;
  creationMethod: string;
}

/** What the simulator knows about one call. */
export interface SimCall {
  readonly id: number;
  readonly kind: CallKind;
  /** DN for extensions, the number for outside callers. */
  readonly caller: string;
  readonly callerName: string | null;
  readonly did: string | null;
  /** Queue the call came in through, if any. */
  readonly queueDn: string | null;
  callee: string;
  status: XapiStatus;
  readonly startedAt: Date;
  lastChangeStatus: Date;
  establishedAt: Date | null;
  /** DN currently talking or being rung for the callee side. */
  agentDn: string | null;
  participants: Participant[];
  openLegs: OpenLeg[];
  legs: CallLeg[];
}

export type CallModelEvents = {
  /** 0 upsert, 1 remove, for the participant `id` on `dn`. */
  participant: [eventType: 0 | 1, dn: string, id: number];
  /** The call is gone; `legs` are its CDR segments in order. */
  ended: [call: SimCall, legs: CallLeg[]];
  changed: [call: SimCall];
};

/** CC DN types ([unconfirmed]: names as 3CX's Call Control samples use them); `None` where a field names no DN, as captured participants show. */
export const CC_DN_TYPE = { extension: 'Wextension', queue: 'Wqueue', routePoint: 'Wroutepoint', outside: 'Wexternalline', none: 'None' } as const;

export class UnknownCallError extends Error {
  constructor(readonly callId: number) {
    super(`no active call ${callId}`);
  }
}

export class CallModel extends EventEmitter<CallModelEvents> {
  private readonly calls = new Map<number, SimCall>();
  private nextCallId = 1;
  private nextParticipantId = 1;
  private nextLegId = 1;

  constructor(private readonly deps: { now: () => number; routePointDn: string }) {
    super();
  }

  /** A DN of this PBX (extension, queue, the route point), as opposed to an outside number. */
  isKnownDn(dn: string): boolean {
    return Boolean(findExtension(dn) || findQueue(dn)) || dn === this.deps.routePointDn;
  }

  dnType(dn: string): string {
    if (findExtension(dn)) return CC_DN_TYPE.extension;
    if (findQueue(dn)) return CC_DN_TYPE.queue;
    if (dn === this.deps.routePointDn) return CC_DN_TYPE.routePoint;
    return CC_DN_TYPE.outside;
  }

  list(): SimCall[] {
    return [...this.calls.values()];
  }

  get(callId: number): SimCall | undefined {
    return this.calls.get(callId);
  }

  size(): number {
    return this.calls.size;
  }

  participantsOf(dn: string): Participant[] {
    const out: Participant[] = [];
    for (const call of this.calls.values()) for (const p of call.participants) if (p.dn === dn) out.push({ ...p });
    return out.sort((a, b) => a.id - b.id);
  }

  findParticipant(dn: string, id: number): { call: SimCall; participant: Participant } | undefined {
    for (const call of this.calls.values()) {
      const participant = call.participants.find((p) => p.id === id && p.dn === dn);
      if (participant) return { call, participant };
    }
    return undefined;
  }

  activeCalls(): ActiveCall[] {
    const serverNow = isoSeconds(new Date(this.deps.now()));
    return this.list().map((c) => ({
      Id: c.id,
      Caller: displayParty(c.caller),
      Callee: displayParty(c.callee),
      Status: c.status,
      LastChangeStatus: isoSeconds(c.lastChangeStatus),
      EstablishedAt: c.establishedAt ? isoSeconds(c.establishedAt) : null,
      ServerNow: serverNow,
    }));
  }

  // ---- scenario steps ----

  /**
   * An outside caller dials a DID and waits in a queue: the queue has taken
   * the call (XAPI Talking, Callee the queue), its participant is Ringing
   * until an agent picks up.
   */
  placeInbound(opts: { from: string; queueDn: string; did?: string; callerName?: string | null }): SimCall {
    if (!findQueue(opts.queueDn)) throw new Error(`unknown queue ${opts.queueDn}`);
    const did = opts.did ?? (TRUNK_DIDS[0] as string);
    const call = this.newCall({ kind: 'inbound', caller: opts.from, callerName: opts.callerName ?? null, did, queueDn: opts.queueDn, callee: opts.queueDn, status: 'Talking' });
    call.establishedAt = call.startedAt;
    this.openLeg(call, opts.queueDn, 'call_init');
    this.addParticipant(call, opts.queueDn, 'Ringing');
    this.changed(call);
    return call;
  }

  /** Still waiting in its queue: no agent has been rung or has answered. */
  private waitingInQueue(call: SimCall): boolean {
    return call.queueDn !== null && call.agentDn === null && call.participants.some((p) => p.dn === call.queueDn);
  }

  /** An extension (or the route point) dials out or dials another extension. */
  placeOutgoing(opts: { fromDn: string; destination: string }): SimCall {
    if (!this.isKnownDn(opts.fromDn)) throw new Error(`unknown DN ${opts.fromDn}`);
    const internal = this.isKnownDn(opts.destination);
    const call = this.newCall({
      kind: internal ? 'internal' : 'outbound',
      caller: opts.fromDn,
      callerName: findExtension(opts.fromDn)?.name ?? null,
      did: null,
      queueDn: null,
      callee: opts.destination,
      status: internal ? 'Ringing' : 'Dialing',
    });
    this.openLeg(call, opts.destination, 'call_init');
    this.addParticipant(call, opts.fromDn, 'Dialing', { towards: opts.destination });
    if (internal) {
      call.agentDn = opts.destination;
      this.addParticipant(call, opts.destination, 'Ringing');
    }
    this.changed(call);
    return call;
  }

  /** The queue offers the call to an agent: XAPI Ringing, agent participant Ringing. */
  ring(callId: number, agentDn: string): void {
    const call = this.require(callId);
    if (call.status === 'Talking' && !this.waitingInQueue(call)) throw new Error(`call ${callId} is already answered`);
    if (call.agentDn && call.agentDn !== agentDn) this.stopRinging(call, call.agentDn);
    if (!call.participants.some((p) => p.dn === agentDn)) {
      this.openLeg(call, agentDn, call.status === 'Transferring' ? 'transfer' : 'route_to');
      this.addParticipant(call, agentDn, 'Ringing');
    }
    call.agentDn = agentDn;
    call.callee = agentDn;
    this.retargetCaller(call);
    if (call.status !== 'Transferring') this.setStatus(call, 'Ringing');
    this.changed(call);
  }

  /** The callee side picks up: XAPI Talking, participants Connected, the queue lets go. */
  answer(callId: number, agentDn?: string): void {
    const call = this.require(callId);
    const now = new Date(this.deps.now());
    if (call.kind === 'outbound') {
      for (const p of call.participants) this.setParticipantStatus(call, p, 'Connected');
      const leg = call.openLegs.find((l) => l.target === call.callee);
      if (leg && !leg.answeredAt) leg.answeredAt = now;
    } else {
      const dn = agentDn ?? call.agentDn ?? this.defaultAgent(call);
      if (call.agentDn && call.agentDn !== dn) this.stopRinging(call, call.agentDn);
      let leg = call.openLegs.find((l) => l.target === dn);
      if (!leg) leg = this.openLeg(call, dn, call.status === 'Transferring' ? 'transfer' : 'route_to');
      if (!leg.answeredAt) leg.answeredAt = now;
      const existing = call.participants.find((p) => p.dn === dn);
      if (existing) this.setParticipantStatus(call, existing, 'Connected');
      else this.addParticipant(call, dn, 'Connected');
      for (const p of call.participants) if (p.dn === call.caller) this.setParticipantStatus(call, p, 'Connected');
      if (call.queueDn) {
        this.closeLeg(call, call.queueDn, 'continued_in');
        this.removeParticipantsOn(call, call.queueDn);
      }
      call.agentDn = dn;
      call.callee = dn;
      this.retargetCaller(call);
    }
    if (!call.establishedAt) call.establishedAt = now;
    this.setStatus(call, 'Talking');
    this.changed(call);
  }

  /** Blind transfer of the callee side to another DN: XAPI Transferring until answered. */
  transfer(callId: number, toDn: string): void {
    const call = this.require(callId);
    if (!this.isKnownDn(toDn)) throw new Error(`unknown DN ${toDn}`);
    const from = call.agentDn;
    if (from) {
      this.closeLeg(call, from, 'continued_in');
      this.removeParticipantsOn(call, from);
    }
    if (call.queueDn) {
      this.closeLeg(call, call.queueDn, 'continued_in');
      this.removeParticipantsOn(call, call.queueDn);
    }
    this.openLeg(call, toDn, 'transfer');
    this.addParticipant(call, toDn, 'Ringing', { referredBy: from ?? call.queueDn ?? undefined });
    call.agentDn = toDn;
    call.callee = toDn;
    this.retargetCaller(call);
    this.setStatus(call, 'Transferring');
    this.changed(call);
  }

  /** The call ends: all participants removed, CDR legs emitted. */
  hangUp(callId: number, by: HangUpSide = 'caller'): SimCall {
    const call = this.require(callId);
    for (const leg of [...call.openLegs]) {
      const reason = leg.answeredAt
        ? by === 'caller' ? 'src_participant_terminated' : 'dst_participant_terminated'
        : by === 'caller' ? 'cancelled' : 'dst_participant_terminated';
      this.closeLeg(call, leg.target, reason);
    }
    for (const p of [...call.participants]) this.removeParticipant(call, p);
    this.calls.delete(callId);
    const legs = [...call.legs].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    this.emit('ended', call, legs);
    return call;
  }

  // ---- internals ----

  private require(callId: number): SimCall {
    const call = this.calls.get(callId);
    if (!call) throw new UnknownCallError(callId);
    return call;
  }

  private newCall(init: Pick<SimCall, 'kind' | 'caller' | 'callerName' | 'did' | 'queueDn' | 'callee' | 'status'>): SimCall {
    const now = new Date(this.deps.now());
    // Fields spelled out (not spread) so every call has one object shape.
    const call: SimCall = {
      id: this.nextCallId++,
      kind: init.kind,
      caller: init.caller,
      callerName: init.callerName,
      did: init.did,
      queueDn: init.queueDn,
      callee: init.callee,
      status: init.status,
      startedAt: now,
      lastChangeStatus: now,
      establishedAt: null,
      agentDn: null,
      participants: [],
      openLegs: [],
      legs: [],
    };
    this.calls.set(call.id, call);
    return call;
  }

  private defaultAgent(call: SimCall): string {
    const q = call.queueDn ? findQueue(call.queueDn) : undefined;
    return q?.agents[0] ?? call.callee;
  }

  private setStatus(call: SimCall, status: XapiStatus): void {
    if (call.status === status) return;
    call.status = status;
    call.lastChangeStatus = new Date(this.deps.now());
  }

  private changed(call: SimCall): void {
    this.emit('changed', call);
  }

  private callerParty(call: SimCall): CdrParty {
    return call.kind === 'inbound' ? outsideParty(call.caller, call.did, call.callerName) : dnParty(call.caller);
  }

  private openLeg(call: SimCall, target: string, creationMethod: string): OpenLeg {
    const leg: OpenLeg = {
      target,
      source: this.callerParty(call),
      destination: this.isKnownDn(target) ? dnParty(target) : outsideParty(target, null),
      startedAt: new Date(this.deps.now()),
      answeredAt: null,
      creationMethod,
    };
    call.openLegs.push(leg);
    return leg;
  }

  private closeLeg(call: SimCall, target: string, terminationReason: string): void {
    const idx = call.openLegs.findIndex((l) => l.target === target);
    if (idx < 0) return;
    const [leg] = call.openLegs.splice(idx, 1);
    if (!leg) return;
    call.legs.push({
      source: leg.source,
      destination: leg.destination,
      startedAt: leg.startedAt,
      answeredAt: leg.answeredAt,
      endedAt: new Date(this.deps.now()),
      creationMethod: leg.creationMethod,
      terminationReason,
    });
  }

  private stopRinging(call: SimCall, dn: string): void {
    this.closeLeg(call, dn, 'completed_elsewhere');
    this.removeParticipantsOn(call, dn);
  }

  /**
   * The party_* fields of a participant: the participant sees "the other
   * party", the caller for the callee side, the destination (`towards`) for
   * the caller's own participant.
   */
  private partyFields(call: SimCall, towards?: string): Pick<Participant, PartyField> {
    const other = towards ?? call.caller;
    const otherIsDn = this.isKnownDn(other);
    return {
      party_caller_name: otherIsDn ? (findExtension(other)?.name ?? findQueue(other)?.name ?? '') : (other === call.caller ? (call.callerName ?? '') : ''),
      party_dn: otherIsDn ? other : TRUNK.dn,
      party_caller_id: other,
      party_did: towards ? '' : (call.did ?? ''),
      party_dn_type: this.dnType(otherIsDn ? other : '__outside__'),
    };
  }

  /** After the callee side changed (transfer, another agent answered), the caller's own participants name the new callee. */
  private retargetCaller(call: SimCall): void {
    const fields = this.partyFields(call, call.callee);
    for (const p of call.participants) {
      if (p.dn !== call.caller || PARTY_FIELDS.every((f) => p[f] === fields[f])) continue;
      Object.assign(p, fields);
      this.emit('participant', 0, p.dn, p.id);
    }
  }

  private addParticipant(call: SimCall, dn: string, status: ParticipantStatus, opts: { towards?: string; referredBy?: string } = {}): Participant {
    const device = findExtension(dn);
    const via = call.queueDn ?? call.caller;
    const party = this.partyFields(call, opts.towards);
    // Fields spelled out in one order so every participant has one shape.
    const p: Participant = {
      id: this.nextParticipantId++,
      status,
      dn,
      party_caller_name: party.party_caller_name,
      party_dn: party.party_dn,
      party_caller_id: party.party_caller_id,
      party_did: party.party_did,
      device_id: device?.deviceId ?? '',
      party_dn_type: party.party_dn_type,
      direct_control: false,
      callid: call.id,
      legid: this.nextLegId++,
      originated_by_dn: via,
      originated_by_type: this.dnType(this.isKnownDn(via) ? via : '__outside__'),
      referred_by_dn: opts.referredBy ?? '',
      referred_by_type: opts.referredBy ? this.dnType(opts.referredBy) : CC_DN_TYPE.none,
      on_behalf_of_dn: call.queueDn ?? '',
      on_behalf_of_type: call.queueDn ? CC_DN_TYPE.queue : CC_DN_TYPE.none,
    };
    call.participants.push(p);
    this.emit('participant', 0, dn, p.id);
    return p;
  }

  private setParticipantStatus(_call: SimCall, p: Participant, status: ParticipantStatus): void {
    if (p.status === status) return;
    p.status = status;
    this.emit('participant', 0, p.dn, p.id);
  }

  private removeParticipant(call: SimCall, p: Participant): void {
    call.participants = call.participants.filter((x) => x !== p);
    this.emit('participant', 1, p.dn, p.id);
  }

  private removeParticipantsOn(call: SimCall, dn: string): void {
    for (const p of call.participants.filter((x) => x.dn === dn)) this.removeParticipant(call, p);
  }
}

/** 3CX shows times as `2026-11-23T10:01:02Z` (the reference's example). */
export function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}
