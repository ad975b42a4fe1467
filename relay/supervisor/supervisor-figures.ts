// Pure computation of the supervisor's figures from the last answers of each
// source: XAPI Queues and Users, the shared active-call list, SystemStatus,
// and today's figures, from the call records when they answered for today
// (source `cdr`), else from the relay's own day ledger (source `observed`).
// Every figure carries the time of the OLDEST source it combines, so a
// number is never shown fresher than its weakest input, and its source.
import type { ActiveCall, CallControlCoverage, PbxStatus } from '../contract/api-types.js';
import type { AgentCall, AgentState, FigureSource, PbxOverview, QueueFigures, Sourced } from '../contract/supervisor-types.js';
import type { QueueDaySnapshot } from '../call-records/queue-day-records.js';
import type { XapiQueueInfo, XapiUserInfo } from '../pbx/xapi-supervisor.js';
import { partyNumber, dayFigures, type QueueDay, type QueueDayLedger } from './queue-day-ledger.js';

/** A source's last answer and when it came (ms). */
export interface Fetched<T> { value: T; at: number }

export interface SupervisorInputs {
  queues: Fetched<XapiQueueInfo[]> | null;
  users: Fetched<XapiUserInfo[]> | null;
  calls: Fetched<ActiveCall[]> | null;
  system: Fetched<PbxStatus> | null;
  ledger: QueueDayLedger;
  /** Today's figures from the call records; null without them (then the ledger's count). */
  records?: QueueDaySnapshot | null;
  coverage: CallControlCoverage | null;
}

/** Queue SLA when 3CX leaves `SLATime` unset (seconds). */
export const DEFAULT_SLA_S = 20;

export class FigureClock {
  /** `recordsStaleAfterMs`: the call records are read far less often than XAPI, so their figures age on their own scale. */
  constructor(readonly now: number, private readonly staleAfterMs: number, private readonly recordsStaleAfterMs = staleAfterMs) {}

  /** The older of the given times; null when any is unknown. */
  oldest(...times: (number | null | undefined)[]): number | null {
    if (times.some((t) => t == null)) return null;
    return Math.min(...(times as number[]));
  }

  stale(at: number | null, source: FigureSource = 'pbx'): boolean {
    return at === null || this.now - at > (source === 'cdr' ? this.recordsStaleAfterMs : this.staleAfterMs);
  }

  sourced<T>(value: T, at: number | null, source: FigureSource = 'pbx'): Sourced<T> {
    return { value, source, asOf: at === null ? null : new Date(at).toISOString(), stale: this.stale(at, source) };
  }
}

interface DayOf { day: QueueDay; at: number | null; source: FigureSource }

/** A queue's figures for today: from the call records when they asked about this queue today, else from the ledger. */
function dayOf(inp: SupervisorInputs, queue: string): DayOf {
  const r = inp.records;
  if (r && r.queues.has(queue)) {
    const t = r.perQueue.get(queue);
    const day = dayFigures(t ? { answered: t.answered, abandoned: t.abandoned, withinSla: t.withinSla, waitMs: t.waitS * 1000, talkMs: t.talkS * 1000, talked: t.answered } : null);
    return { day, at: r.at, source: 'cdr' };
  }
  return { day: inp.ledger.day(queue), at: inp.ledger.asOf(), source: 'observed' };
}

function currentCallOf(ext: string, calls: readonly ActiveCall[]): ActiveCall | undefined {
  return calls.find((c) => partyNumber(c.Caller) === ext || partyNumber(c.Callee) === ext);
}

function agentCall(ext: string, c: ActiveCall): AgentCall {
  return { id: c.Id, party: partyNumber(c.Caller) === ext ? c.Callee : c.Caller, status: c.Status, since: c.EstablishedAt ?? c.LastChangeStatus };
}

export function queueFigures(inp: SupervisorInputs, fc: FigureClock): QueueFigures[] {
  const calls = inp.calls?.value ?? [];
  const users = new Map((inp.users?.value ?? []).map((u) => [u.number, u]));
  const callsAt = inp.calls?.at ?? null;
  const usersAt = inp.users?.at ?? null;
  const bothAt = fc.oldest(callsAt, usersAt);
  return (inp.queues?.value ?? []).map((q) => {
    const waiting = calls.filter((c) => c.Status === 'Talking' && partyNumber(c.Callee) === q.number);
    const longestMs = waiting.reduce((m, c) => Math.max(m, fc.now - Date.parse(c.EstablishedAt ?? c.LastChangeStatus)), 0);
    const members = q.agents.map((ext) => users.get(ext)).filter((u): u is XapiUserInfo => !!u);
    const loggedIn = members.filter((u) => u.queueStatus === 'LoggedIn');
    const busy = loggedIn.filter((u) => currentCallOf(u.number, calls));
    const available = loggedIn.filter((u) => u.registered && !currentCallOf(u.number, calls));
    const { day, at: dayAt, source } = dayOf(inp, q.number);
    return {
      id: q.id,
      number: q.number,
      name: q.name,
      slaSeconds: q.slaSeconds ?? DEFAULT_SLA_S,
      callsWaiting: fc.sourced(waiting.length, callsAt),
      longestWaitS: fc.sourced(Number.isFinite(longestMs) ? Math.max(0, Math.floor(longestMs / 1000)) : 0, callsAt),
      agentsLoggedIn: fc.sourced(loggedIn.length, usersAt),
      agentsAvailable: fc.sourced(available.length, bothAt),
      agentsBusy: fc.sourced(busy.length, bothAt),
      answeredToday: fc.sourced(day.answered, dayAt, source),
      abandonedToday: fc.sourced(day.abandoned, dayAt, source),
      serviceLevelToday: fc.sourced(day.serviceLevel, dayAt, source),
      avgWaitS: fc.sourced(day.avgWaitS, dayAt, source),
      avgTalkS: fc.sourced(day.avgTalkS, dayAt, source),
    };
  });
}

/** Every user who is an agent of some queue. */
export function agentStates(inp: SupervisorInputs, fc: FigureClock): AgentState[] {
  const calls = inp.calls?.value ?? [];
  const queuesOf = new Map<string, string[]>();
  for (const q of inp.queues?.value ?? []) for (const ext of q.agents) queuesOf.set(ext, [...(queuesOf.get(ext) ?? []), q.number]);
  const at = fc.oldest(inp.users?.at, inp.calls?.at);
  // The records count an agent's calls in the queues they were asked about: all of the agent's, or the ledger's count.
  const records = inp.records ?? null;
  const fromRecords = (ext: string) => !!records && (queuesOf.get(ext) ?? []).every((q) => records.queues.has(q));
  return (inp.users?.value ?? []).filter((u) => queuesOf.has(u.number)).map((u) => {
    const call = currentCallOf(u.number, calls);
    const cdr = fromRecords(u.number);
    return {
      extension: u.number,
      name: u.name,
      queueStatus: u.queueStatus,
      queues: queuesOf.get(u.number) ?? [],
      registered: u.registered,
      currentCall: call ? agentCall(u.number, call) : null,
      answeredToday: cdr ? (records?.answeredByAgent.get(u.number) ?? 0) : inp.ledger.answeredByAgent(u.number),
      answeredTodaySource: cdr ? 'cdr' : 'observed',
      asOf: at === null ? null : new Date(at).toISOString(),
      stale: fc.stale(at),
    };
  });
}

export function pbxOverview(inp: SupervisorInputs, fc: FigureClock): PbxOverview {
  const s = inp.system?.value ?? null;
  const at = inp.system?.at ?? null;
  return {
    version: s?.version ?? null,
    licenseActive: s?.licenseActive ?? null,
    extensions: s?.extensions ?? { registered: null, total: null },
    trunks: s?.trunks ?? { registered: null, total: null },
    callControlCoverage: inp.coverage,
    asOf: at === null ? null : new Date(at).toISOString(),
    stale: fc.stale(at),
  };
}
