// The supervisor's live view, ONE for the whole relay: a single refresh loop
// reads XAPI Queues (with their agents), Users and SystemStatus, takes the
// relay's shared active-call list (live-calls/, no second ActiveCalls
// request), and keeps the last answers. Every REST poller, WS client and the
// dashboard reads those answers; none of them causes an XAPI request, so N
// viewers cost the PBX what one does.
//
// When it refreshes: on a change of the active-call list (Call Control's
// change signal reaches us through the calls service), coalesced to at most
// one refresh per `minGapMs`, and otherwise every `refreshMs`. A changed call
// list is also applied at once (waiting callers, busy agents) without any
// XAPI request. After each refresh or list change, each queue and agent whose
// figures changed is published (`queue_stats`, `agent_state` frames).
//
// Today's figures (answered, abandoned, service level, average wait and
// talk, answered per agent) come from 3CX's call-centre records when the
// call-record database is connected: one aggregate for all queues, at most
// every `recordsIntervalMs` (30 s), started by a refresh and never waited
// for (call-records/queue-day-records.ts). Without them, the relay's own
// observation since midnight (queue-day-ledger.ts) stands in; each figure
// says which (`source`).
import type { ActiveCall, ActiveCallsResponse, CallControlCoverage } from '../contract/api-types.js';
import type { AgentState, PbxOverview, QueueFigures } from '../contract/supervisor-types.js';
import type { Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { RelayError, describeError } from '../core/relay-error.js';
import type { CdrPort, XapiPort } from '../pbx/upstream.js';
import { resolveQueueCallsMapping, type QueueCallsMappingOverride } from '../pbx/queue-calls-query.js';
import { QueueDayRecords } from '../call-records/queue-day-records.js';
import type { XapiQueueStatus } from '../pbx/xapi-supervisor.js';
import { DEFAULT_SLA_S, FigureClock, agentStates, pbxOverview, queueFigures, type SupervisorInputs } from './supervisor-figures.js';
import { QueueDayLedger } from './queue-day-ledger.js';

export type SupervisorFrame = { type: 'queue_stats'; value: QueueFigures } | { type: 'agent_state'; value: AgentState };

export interface SupervisorDeps {
  /** The current XAPI client (looked up each time: reconfigure swaps it); null when not configured. */
  xapi(): Pick<XapiPort, 'getQueues' | 'getUsers' | 'getSystemStatus' | 'setQueueStatus'> | null;
  coverage(): CallControlCoverage | null;
  /** The relay's shared active-call list (its own cache and coalescing). */
  calls: { list(): Promise<ActiveCallsResponse> };
  clock: Clock;
  publish(frame: SupervisorFrame): void;
  logger?: Logger;
  /** A refresh at least this often (default 5 s). */
  refreshMs?: number;
  /** Change-triggered refreshes at most this often (default 2 s). */
  minGapMs?: number;
  /** A figure older than this is `stale` (default 3 × refreshMs). */
  staleAfterMs?: number;
  /** The call-record database (looked up each time); absent or not connected: the relay's own counts. */
  cdr?(): Pick<CdrPort, 'health' | 'queueDay'> | undefined;
  /** Today's figures are read from the call records at most this often (default 30 s). */
  recordsIntervalMs?: number;
  /** Names of 3CX's call-centre table and columns, over the defaults in pbx/queue-calls-query.ts. */
  queueCallsMapping?: QueueCallsMappingOverride;
}

/** Figures compared for "changed": without the moving `asOf` (staleness flips still count). */
function changeKey(v: QueueFigures | AgentState): string {
  return JSON.stringify(v, (k, x: unknown) => (k === 'asOf' ? undefined : x));
}

export class SupervisorService {
  private readonly refreshMs: number;
  private readonly minGapMs: number;
  private readonly staleAfterMs: number;
  private readonly log: Logger;
  private readonly ledger = new QueueDayLedger();
  private readonly records: QueueDayRecords;
  private readonly recordsStaleAfterMs: number;
  private inputs: Omit<SupervisorInputs, 'ledger' | 'records' | 'coverage'> = { queues: null, users: null, calls: null, system: null };
  private inFlight: Promise<void> | null = null;
  private again = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private timer: { cancel(): void } | null = null;
  private timerAt = Infinity;
  private readonly published = new Map<string, string>();
  private running = false;

  constructor(private readonly deps: SupervisorDeps) {
    this.refreshMs = deps.refreshMs ?? 5_000;
    this.minGapMs = Math.min(deps.minGapMs ?? 2_000, this.refreshMs);
    this.staleAfterMs = deps.staleAfterMs ?? 3 * this.refreshMs;
    this.log = (deps.logger ?? silentLogger).child({ component: 'supervisor' });
    const recordsIntervalMs = deps.recordsIntervalMs ?? 30_000;
    // A query that failed once more is dropped at once; a slow one may take a few refreshes.
    this.recordsStaleAfterMs = Math.max(this.staleAfterMs, 3 * recordsIntervalMs);
    this.records = new QueueDayRecords({
      cdr: () => deps.cdr?.(),
      clock: deps.clock,
      logger: this.log,
      mapping: resolveQueueCallsMapping(deps.queueCallsMapping),
      intervalMs: recordsIntervalMs,
      onChange: () => this.publishChanges(),
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.records.open();
    void this.refresh();
  }

  close(): void {
    this.running = false;
    this.records.close();
    this.timer?.cancel();
    this.timer = null;
  }

  /** A new active-call list (the calls service published it): applied now, and an XAPI refresh soon. */
  callsChanged(calls: readonly ActiveCall[]): void {
    if (!this.running) return;
    this.applyCalls([...calls], this.deps.clock.now());
    this.publishChanges();
    this.schedule(Math.max(this.deps.clock.now(), this.lastStart + this.minGapMs));
  }

  queues(): QueueFigures[] {
    return queueFigures(this.full(), this.figureClock());
  }

  queue(id: number): QueueFigures | undefined {
    return this.queues().find((q) => q.id === id);
  }

  agents(): AgentState[] {
    return agentStates(this.full(), this.figureClock());
  }

  pbx(): PbxOverview {
    return pbxOverview(this.full(), this.figureClock());
  }

  /** Logs an agent in or out of all its queues on the PBX, then refreshes so every viewer sees it. */
  async setQueueStatus(extension: string, status: XapiQueueStatus): Promise<void> {
    const xapi = this.deps.xapi();
    if (!xapi) throw RelayError.unconfigured('the 3CX connection (XAPI)');
    let user = this.inputs.users?.value.find((u) => u.number === extension);
    if (!user) {
      const users = await xapi.getUsers();
      this.inputs.users = { value: users, at: this.deps.clock.now() };
      user = users.find((u) => u.number === extension);
    }
    if (!user) throw RelayError.notFound(`3CX has no extension ${extension}`);
    await xapi.setQueueStatus(user.id, status);
    await this.refresh(true);
  }

  /** One refresh, shared: a caller during one in flight waits for it (and, with `fresh`, for the next). */
  async refresh(fresh = false): Promise<void> {
    if (this.inFlight) {
      if (!fresh) return this.inFlight;
      this.again = true;
      await this.inFlight;
      // The follow-up run (started by the one that just ended) began after our request.
      return this.inFlight ?? undefined;
    }
    this.inFlight = this.runRefresh().finally(() => {
      this.inFlight = null;
      if (this.again && this.running) {
        this.again = false;
        this.inFlight = this.runRefresh().finally(() => (this.inFlight = null));
      }
    });
    return this.inFlight;
  }

  private async runRefresh(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.timerAt = Infinity;
    this.lastStart = this.deps.clock.now();
    const xapi = this.deps.xapi();
    try {
      if (!xapi) return;
      const [queues, users, system, calls] = await Promise.allSettled([xapi.getQueues(), xapi.getUsers(), xapi.getSystemStatus(), this.deps.calls.list()]);
      const at = this.deps.clock.now();
      if (queues.status === 'fulfilled') this.inputs.queues = { value: queues.value, at };
      if (users.status === 'fulfilled') this.inputs.users = { value: users.value, at };
      if (system.status === 'fulfilled') this.inputs.system = { value: system.value, at };
      if (calls.status === 'fulfilled') this.applyCalls(calls.value.value, calls.value.source === 'xapi' ? Math.min(at, Date.parse(calls.value.asOf) || at) : at);
      const failed = [queues, users, system, calls].find((r) => r.status === 'rejected');
      if (failed) this.log.debug('supervisor refresh incomplete; figures keep their age', { error: describeError(failed.reason) });
      this.refreshRecords();
      this.publishChanges();
    } finally {
      if (this.running) this.schedule(this.lastStart + this.refreshMs);
    }
  }

  private applyCalls(calls: ActiveCall[], at: number): void {
    this.inputs.calls = { value: calls, at };
    const sla = new Map((this.inputs.queues?.value ?? []).map((q) => [q.number, q.slaSeconds ?? DEFAULT_SLA_S]));
    if (sla.size > 0) this.ledger.observe(calls, sla, at);
  }

  /** Today's figures from the call records, for the queues XAPI listed (their SLA from `SLATime`). */
  private refreshRecords(): void {
    const queues = (this.inputs.queues?.value ?? []).map((q) => ({ number: q.number, slaSeconds: q.slaSeconds ?? DEFAULT_SLA_S }));
    void this.records.maybeRefresh(queues);
  }

  /** Resolves once the call-record query in flight (if any) ended: for tests and shutdown. */
  async recordsSettled(): Promise<void> {
    await this.records.settled();
  }

  private schedule(at: number): void {
    if (!this.running || at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      void this.refresh();
    }, Math.max(0, at - this.deps.clock.now()));
  }

  private publishChanges(): void {
    if (!this.running) return;
    const fc = this.figureClock();
    const full = this.full();
    for (const q of queueFigures(full, fc)) this.publishIfChanged(`q:${q.id}`, q, { type: 'queue_stats', value: q });
    for (const a of agentStates(full, fc)) this.publishIfChanged(`a:${a.extension}`, a, { type: 'agent_state', value: a });
  }

  private publishIfChanged(key: string, value: QueueFigures | AgentState, frame: SupervisorFrame): void {
    const k = changeKey(value);
    if (this.published.get(key) === k) return;
    this.published.set(key, k);
    this.deps.publish(frame);
  }

  private full(): SupervisorInputs {
    return { ...this.inputs, ledger: this.ledger, records: this.records.current(this.deps.clock.now()), coverage: this.deps.coverage() };
  }

  private figureClock(): FigureClock {
    return new FigureClock(this.deps.clock.now(), this.staleAfterMs, this.recordsStaleAfterMs);
  }
}
