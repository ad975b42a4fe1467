// The live picture built from Call Control: every participant the
// integration can see, keyed by (dn, participant id), and the XAPI-shaped
// active-call list derived from it by grouping participants on `callid`.
// Call Control carries no timestamps, so the times in the derived list are
// when this relay observed the change (after a resync: the resync time).
import { z } from 'zod';
import type { ActiveCall } from '../contract/api-types.js';

const numberish = z.union([z.number().int(), z.string().regex(/^-?\d{1,15}$/).transform(Number)]);
const textish = z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? null : String(v)));

/** A Call Control participant; only `id` and `callid` are required, the rest is read defensively. */
export const participantSchema = z.looseObject({
  id: numberish,
  callid: numberish,
  status: z.string().nullish().transform((v) => v ?? ''),
  dn: textish,
  legid: numberish.nullish(),
  party_caller_name: textish,
  party_dn: textish,
  party_caller_id: textish,
  party_did: textish,
  party_dn_type: textish,
  device_id: textish,
  originated_by_dn: textish,
  originated_by_type: textish,
  on_behalf_of_dn: textish,
  on_behalf_of_type: textish,
});
export type Participant = z.infer<typeof participantSchema>;

/** A registered phone of a DN (`GET /callcontrol` → `devices`); only `device_id` matters to us. */
const deviceSchema = z.looseObject({
  dn: textish,
  device_id: z.union([z.string(), z.number()]).transform(String),
  user_agent: textish,
});

const dnStateSchema = z.looseObject({
  dn: z.union([z.string(), z.number()]).transform(String),
  type: textish,
  // A device entry we cannot read is left out, never fatal to the resync.
  devices: z.array(z.unknown()).nullish().transform((v) =>
    (v ?? []).flatMap((d) => {
      const parsed = deviceSchema.safeParse(d);
      return parsed.success ? [parsed.data.device_id] : [];
    })),
  participants: z.array(z.unknown()).nullish().transform((v) => v ?? []),
});

/** One DN the integration may see, as the last full state listed it. */
export interface MonitoredDn {
  dn: string;
  /** Call Control DN type, e.g. `Wextension`, `Wroutepoint`, `Wqueue`; null when 3CX left it out. */
  type: string | null;
  /** `device_id`s of its registered phones, in 3CX's order. */
  deviceIds: string[];
}

/** `GET /callcontrol` — one entry per visible DN. */
export const fullStateSchema = z.array(dnStateSchema);

interface Tracked {
  dn: string;
  p: Participant;
  statusSince: number;
}

export interface ParticipantRef {
  dn: string;
  id: number;
}

/** Whether a DN type names a queue-like DN that rings agents rather than being answered. */
function isQueueType(type: string | null | undefined): boolean {
  return !!type && /queue|ringgroup|hunt/i.test(type);
}

/**
 * XAPI `Status` of a call from its participants (3CX Call Control statuses
 * are Dialing / Ringing / Connected). Heuristics, since Call Control has no
 * call-level status: ringing only on queue DNs is `Routing`; a call that was
 * already established and rings someone new is `Transferring`.
 */
export function callStatusOf(members: readonly { status: string; onQueue: boolean }[], established: boolean): string {
  const statuses = members.map((m) => m.status);
  const ringing = members.filter((m) => m.status === 'Ringing');
  if (ringing.length > 0 && established) return 'Transferring';
  if (statuses.includes('Connected')) return 'Talking';
  if (ringing.length > 0) return ringing.every((m) => m.onQueue) ? 'Routing' : 'Ringing';
  if (statuses.includes('Dialing')) return 'Dialing';
  return statuses.find((s) => s.length > 0) ?? 'Unknown';
}

function label(number: string | null, name: string | null): string {
  const n = number?.trim() ?? '';
  const m = name?.trim() ?? '';
  if (!n) return m;
  return m && m !== n ? `${n} ${m}` : n;
}

/**
 * The other party of a participant, as XAPI writes it: "100 Anna Ford" for
 * a DN of this PBX, the bare number for an outside line (its party_dn is the
 * trunk, not the number).
 */
function partyLabel(p: Participant): string {
  const number = p.party_caller_id || p.party_dn;
  const internal = !!p.party_dn && (!p.party_caller_id || p.party_caller_id === p.party_dn);
  return label(number, internal ? p.party_caller_name : null);
}

/** Whether the participant's own DN placed the call (it is the caller side). */
function isOriginator(t: Tracked): boolean {
  if (t.p.status === 'Dialing') return true;
  return t.p.originated_by_dn === t.dn && !t.p.on_behalf_of_dn && !isQueueType(t.p.originated_by_type);
}

type CallWithoutClock = Omit<ActiveCall, 'ServerNow'>;

/**
 * Build ActiveCalls from participants. `names` maps a DN to the name other
 * participants showed for it, so an extension's own side reads "100 Anna Ford"
 * when some participant names it; otherwise just "100".
 */
function deriveActiveCalls(
  tracked: Iterable<Tracked>,
  names: ReadonlyMap<string, string>,
  dnTypes: ReadonlyMap<string, string>,
  established: ReadonlyMap<number, number>,
): CallWithoutClock[] {
  const byCall = new Map<number, Tracked[]>();
  for (const t of tracked) {
    const list = byCall.get(t.p.callid);
    if (list) list.push(t);
    else byCall.set(t.p.callid, [t]);
  }
  const calls: CallWithoutClock[] = [];
  for (const [callid, members] of byCall) {
    members.sort((a, b) => a.p.id - b.p.id);
    // Caller: the originating DN if it is visible, else the party the callee side sees.
    // Callee: the newest participant on the answering side, preferring a person over
    // a queue (after a transfer or once an agent rings, that is who XAPI shows).
    const originator = members.find((m) => isOriginator(m));
    const calleeSide = members.filter((m) => !isOriginator(m));
    const calleeAnchor = calleeSide.filter((m) => !isQueueType(dnTypes.get(m.dn))).at(-1) ?? calleeSide.at(-1);
    const own = (t: Tracked) => label(t.dn, names.get(t.dn) ?? null);
    const caller = originator ? own(originator) : partyLabel(calleeAnchor!.p);
    const callee = calleeAnchor ? own(calleeAnchor) : partyLabel(originator!.p);
    const establishedAt = established.get(callid) ?? null;
    const status = callStatusOf(
      members.map((m) => ({ status: m.p.status, onQueue: isQueueType(dnTypes.get(m.dn)) })),
      establishedAt !== null,
    );
    calls.push({
      Id: callid,
      Caller: caller,
      Callee: callee,
      Status: status,
      LastChangeStatus: new Date(Math.max(...members.map((m) => m.statusSince))).toISOString(),
      EstablishedAt: establishedAt !== null ? new Date(establishedAt).toISOString() : null,
    });
  }
  return calls.sort((a, b) => a.Id - b.Id);
}

const MAX_REMEMBERED_CALLS = 10_000;

export class CallControlState {
  readonly #participants = new Map<string, Tracked>();
  // DN -> Call Control DN type from the full state (e.g. Wqueue), for Routing.
  readonly #dnTypes = new Map<string, string>();
  // Every DN of the last full state (the monitored list), null before the first one.
  #monitored: MonitoredDn[] | null = null;
  // callid -> when this relay first saw one of its participants Connected.
  // Kept per call, not per participant, and beyond the call's last visible
  // participant: a blind transfer removes the answering leg before the new
  // one rings, yet the call stays established. Bounded; pruned on resync.
  readonly #established = new Map<number, number>();
  // The derived list, kept until the picture changes: every poller reads it
  // (benchmark 1), while it changes only when a Call Control frame arrives.
  #derived: CallWithoutClock[] | null = null;

  static key(dn: string, id: number): string {
    return `${dn}\u0000${id}`;
  }

  get size(): number {
    return this.#participants.size;
  }

  /**
   * Replace the whole picture with a `GET /callcontrol` answer. Participants
   * and calls that survive keep their observed times. Entries that cannot be
   * read are counted (for a fault report), never thrown.
   */
  replaceAll(entries: z.infer<typeof fullStateSchema>, now: number): { skipped: number } {
    this.#derived = null;
    const previous = new Map(this.#participants);
    this.#participants.clear();
    this.#dnTypes.clear();
    this.#monitored = entries.map((e) => ({ dn: e.dn, type: e.type, deviceIds: e.devices }));
    let skipped = 0;
    for (const entry of entries) {
      if (entry.type) this.#dnTypes.set(entry.dn, entry.type);
      for (const raw of entry.participants) {
        const parsed = participantSchema.safeParse(raw);
        if (!parsed.success) {
          skipped += 1;
          continue;
        }
        const key = CallControlState.key(entry.dn, parsed.data.id);
        this.#participants.set(key, this.#track(entry.dn, parsed.data, previous.get(key), now));
      }
    }
    const live = new Set([...this.#participants.values()].map((t) => t.p.callid));
    for (const callid of [...this.#established.keys()]) if (!live.has(callid)) this.#established.delete(callid);
    return { skipped };
  }

  /** Insert or update one participant; returns whether anything the call list shows changed. */
  upsert(dn: string, participant: Participant, now: number): boolean {
    const key = CallControlState.key(dn, participant.id);
    const before = this.#participants.get(key);
    const next = this.#track(dn, participant, before, now);
    this.#participants.set(key, next);
    this.#derived = null;
    return !before || JSON.stringify(before.p) !== JSON.stringify(next.p);
  }

  remove(dn: string, id: number): boolean {
    const key = CallControlState.key(dn, id);
    const gone = this.#participants.get(key);
    if (!gone) return false;
    this.#participants.delete(key);
    this.#derived = null;
    return true;
  }

  clear(): void {
    this.#derived = null;
    this.#participants.clear();
    this.#established.clear();
  }

  /** The DNs of the last full state; null before the first resync. */
  monitoredDns(): readonly MonitoredDn[] | null {
    return this.#monitored;
  }

  /** Participants of call `callid`, earliest first. */
  participantsOf(callid: number): ParticipantRef[] {
    return [...this.#participants.values()]
      .filter((t) => t.p.callid === callid)
      .sort((a, b) => a.p.id - b.p.id)
      .map((t) => ({ dn: t.dn, id: t.p.id }));
  }

  /** The XAPI-shaped list; `ServerNow` is stamped per answer, the rest is derived once per change. */
  activeCalls(now: number): ActiveCall[] {
    this.#derived ??= this.#derive();
    const serverNow = new Date(now).toISOString();
    // Field by field, not a spread: one object shape, ~3x cheaper per poll.
    return this.#derived.map((c) => ({
      Id: c.Id, Caller: c.Caller, Callee: c.Callee, Status: c.Status,
      LastChangeStatus: c.LastChangeStatus, EstablishedAt: c.EstablishedAt, ServerNow: serverNow,
    }));
  }

  #derive(): CallWithoutClock[] {
    const names = new Map<string, string>();
    for (const t of this.#participants.values()) {
      const dn = t.p.party_dn;
      const name = t.p.party_caller_name?.trim();
      const internal = !!dn && (!t.p.party_caller_id || t.p.party_caller_id === dn);
      if (dn && internal && name && name !== dn) names.set(dn, name);
    }
    return deriveActiveCalls(this.#participants.values(), names, this.#dnTypes, this.#established);
  }

  #track(dn: string, p: Participant, before: Tracked | undefined, now: number): Tracked {
    if (p.status === 'Connected' && !this.#established.has(p.callid)) {
      this.#established.set(p.callid, now);
      // Oldest first in a Map: drop the oldest once the memory is full.
      if (this.#established.size > MAX_REMEMBERED_CALLS) this.#established.delete(this.#established.keys().next().value!);
    }
    const statusChanged = !before || before.p.status !== p.status;
    return { dn, p, statusSince: statusChanged ? now : before.statusSince };
  }
}
