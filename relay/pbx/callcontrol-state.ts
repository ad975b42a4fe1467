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

const dnStateSchema = z.looseObject({
  dn: z.union([z.string(), z.number()]).transform(String),
  type: textish,
  participants: z.array(z.unknown()).nullish().transform((v) => v ?? []),
});

/** `GET /callcontrol` — one entry per visible DN. */
export const fullStateSchema = z.array(dnStateSchema);

interface Tracked {
  dn: string;
  p: Participant;
  statusSince: number;
  connectedAt: number | null;
}

export interface ParticipantRef {
  dn: string;
  id: number;
}

/** 3CX Call Control participant status → XAPI ActiveCalls `Status`. */
export function callStatusOf(statuses: readonly string[]): string {
  if (statuses.includes('Connected')) return 'Talking';
  if (statuses.includes('Ringing')) return 'Ringing';
  if (statuses.includes('Dialing')) return 'Dialing';
  return statuses.find((s) => s.length > 0) ?? 'Unknown';
}

function label(number: string | null, name: string | null): string {
  const n = number?.trim() ?? '';
  const m = name?.trim() ?? '';
  if (!n) return m;
  return m && m !== n ? `${n} ${m}` : n;
}

/** The other party of a participant, as XAPI writes it: "100 Anna Ford" or "+4930123456". */
function partyLabel(p: Participant): string {
  return label(p.party_caller_id || p.party_dn, p.party_caller_name);
}

/** Whether the participant's own DN placed the call (it is the caller side). */
function isOriginator(t: Tracked): boolean {
  if (t.p.status === 'Dialing') return true;
  return t.p.originated_by_dn !== null && t.p.originated_by_dn === t.dn && t.p.originated_by_type !== 'Queue';
}

/**
 * Build ActiveCalls from participants. `names` maps a DN to the name other
 * participants showed for it, so an extension's own side reads "100 Anna Ford" too.
 */
export function deriveActiveCalls(tracked: Iterable<Tracked>, names: ReadonlyMap<string, string>, now: number): ActiveCall[] {
  const byCall = new Map<number, Tracked[]>();
  for (const t of tracked) {
    const list = byCall.get(t.p.callid);
    if (list) list.push(t);
    else byCall.set(t.p.callid, [t]);
  }
  const serverNow = new Date(now).toISOString();
  const calls: ActiveCall[] = [];
  for (const [callid, members] of byCall) {
    members.sort((a, b) => a.p.id - b.p.id);
    // The earliest participant anchors the call; one that originated it, if present, says who called.
    const anchor = members.find((m) => isOriginator(m)) ?? members[0]!;
    const own = label(anchor.dn, names.get(anchor.dn) ?? null);
    const party = partyLabel(anchor.p);
    const outgoing = isOriginator(anchor);
    const connected = members.map((m) => m.connectedAt).filter((t): t is number => t !== null);
    calls.push({
      Id: callid,
      Caller: outgoing ? own : party,
      Callee: outgoing ? party : own,
      Status: callStatusOf(members.map((m) => m.p.status)),
      LastChangeStatus: new Date(Math.max(...members.map((m) => m.statusSince))).toISOString(),
      EstablishedAt: connected.length ? new Date(Math.min(...connected)).toISOString() : null,
      ServerNow: serverNow,
    });
  }
  return calls.sort((a, b) => a.Id - b.Id);
}

export class CallControlState {
  readonly #participants = new Map<string, Tracked>();

  static key(dn: string, id: number): string {
    return `${dn}\u0000${id}`;
  }

  get size(): number {
    return this.#participants.size;
  }

  /**
   * Replace the whole picture with a `GET /callcontrol` answer. Participants
   * that survive keep their observed times. Returns the entries that could
   * not be read (for a fault report), never throws on them.
   */
  replaceAll(entries: z.infer<typeof fullStateSchema>, now: number): { skipped: number } {
    const previous = new Map(this.#participants);
    this.#participants.clear();
    let skipped = 0;
    for (const entry of entries) {
      for (const raw of entry.participants) {
        const parsed = participantSchema.safeParse(raw);
        if (!parsed.success) {
          skipped += 1;
          continue;
        }
        const key = CallControlState.key(entry.dn, parsed.data.id);
        this.#participants.set(key, track(entry.dn, parsed.data, previous.get(key), now));
      }
    }
    return { skipped };
  }

  /** Insert or update one participant; returns whether anything the call list shows changed. */
  upsert(dn: string, participant: Participant, now: number): boolean {
    const key = CallControlState.key(dn, participant.id);
    const before = this.#participants.get(key);
    const next = track(dn, participant, before, now);
    this.#participants.set(key, next);
    return !before || JSON.stringify(before.p) !== JSON.stringify(next.p);
  }

  remove(dn: string, id: number): boolean {
    return this.#participants.delete(CallControlState.key(dn, id));
  }

  clear(): void {
    this.#participants.clear();
  }

  /** Participants of call `callid`, earliest first. */
  participantsOf(callid: number): ParticipantRef[] {
    return [...this.#participants.values()]
      .filter((t) => t.p.callid === callid)
      .sort((a, b) => a.p.id - b.p.id)
      .map((t) => ({ dn: t.dn, id: t.p.id }));
  }

  activeCalls(now: number): ActiveCall[] {
    const names = new Map<string, string>();
    for (const t of this.#participants.values()) {
      const dn = t.p.party_dn;
      const name = t.p.party_caller_name?.trim();
      if (dn && name && name !== dn) names.set(dn, name);
    }
    return deriveActiveCalls(this.#participants.values(), names, now);
  }
}

function track(dn: string, p: Participant, before: Tracked | undefined, now: number): Tracked {
  const statusChanged = !before || before.p.status !== p.status;
  const connectedAt = before?.connectedAt ?? (p.status === 'Connected' ? now : null);
  return { dn, p, statusSince: statusChanged ? now : before.statusSince, connectedAt };
}
