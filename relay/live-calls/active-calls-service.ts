// Live calls at bounded upstream cost. XAPI `ActiveCalls` is the source of
// truth: it is system-wide, while Call Control sees only the monitored DNs.
// Call Control is the low-latency change signal: each change it reports asks
// for an XAPI refresh, at once when XAPI was last asked at least
// `refreshIntervalMs` ago, else at the end of that interval, folded into one
// whatever the event rate. Pollers share one in-flight request and a cache
// of at most a second, so N pollers cost at most one XAPI request per cache
// period, and with the default interval (equal to the cache) pollers and
// changes together still cost about one XAPI request per second. Every XAPI answer that differs from the last one published goes out
// as the new list (`calls` frames). Only when XAPI is unavailable does the
// Call Control list (partial, `source: 'callcontrol'`) stand in.
import type { ActiveCall, ActiveCallsResponse } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import { RelayError } from '../core/relay-error.js';
import { makeCallRoute } from '../pbx/click-to-call-route.js';
import type { CallControlPort, XapiPort } from '../pbx/upstream.js';

export interface ActiveCallsDeps {
  /** Looked up on every call so a reconfigure (new clients) takes effect at once. */
  upstreams(): { xapi?: XapiPort; callcontrol?: CallControlPort };
  clock: Clock;
  /** How long an XAPI answer is reused for pollers; at most 1 s. */
  cacheMs?: number;
  /** A change-triggered XAPI refresh starts at least this long after the previous XAPI request of any kind (default 1 s). */
  refreshIntervalMs?: number;
  /** Receives the list whenever it changed (the `calls` frame). */
  publish?: (calls: ActiveCall[]) => void;
}

interface Entry {
  at: number;
  value: ActiveCall[];
}

/** What a list change is judged on: everything but ServerNow, which moves with every answer. */
function listKey(calls: readonly ActiveCall[]): string {
  return JSON.stringify(
    [...calls].sort((a, b) => a.Id - b.Id).map((c) => [c.Id, c.Status, c.Caller, c.Callee, c.LastChangeStatus, c.EstablishedAt]),
  );
}

const usable = (c: { health(): { state: string } } | undefined): boolean => !!c && c.health().state !== 'unconfigured';
const connected = (c: CallControlPort | undefined): c is CallControlPort => !!c && c.health().state === 'connected';

export class ActiveCallsService {
  private readonly cacheMs: number;
  private cached: (Entry & { source: XapiPort }) | null = null;
  private inFlight: { promise: Promise<Entry>; source: XapiPort } | null = null;
  private readonly refreshIntervalMs: number;
  private refreshTimer: { cancel(): void } | null = null;
  // When XAPI was last asked for the list (by a poll or a change).
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  // A change arrived while a request was in flight: that answer may predate it.
  private refreshAgain = false;
  private lastPublished: string | null = null;
  private lastCallControl: string | null = null;
  private closed = false;

  constructor(private readonly deps: ActiveCallsDeps) {
    this.cacheMs = Math.min(deps.cacheMs ?? 1000, 1000);
    this.refreshIntervalMs = Math.max(0, deps.refreshIntervalMs ?? 1000);
  }

  async list(): Promise<ActiveCallsResponse> {
    const { xapi, callcontrol } = this.deps.upstreams();
    if (!xapi || !usable(xapi)) {
      if (connected(callcontrol)) return this.fromCallControl(callcontrol);
      throw usable(callcontrol)
        ? RelayError.upstream('the Call Control connection is down and XAPI is not configured; live calls are unavailable')
        : RelayError.unconfigured('3CX');
    }
    const now = this.deps.clock.now();
    if (this.cached && this.cached.source === xapi && now - this.cached.at < this.cacheMs) return this.answer(this.cached);
    try {
      return this.answer(await this.fetchShared(xapi));
    } catch (e) {
      // XAPI failed: the monitored part is better than nothing, and says so in `source`.
      if (connected(callcontrol)) return this.fromCallControl(callcontrol);
      throw e;
    }
  }

  /**
   * Call Control saw something change: refresh the list from XAPI soon
   * (coalesced). With Call Control's own list, a signal that changes nothing
   * in it (a resync after a socket loss) costs no XAPI request.
   */
  callControlChanged(ccCalls?: readonly ActiveCall[]): void {
    if (this.closed) return;
    if (ccCalls) {
      const key = listKey(ccCalls);
      if (key === this.lastCallControl) return;
      this.lastCallControl = key;
    }
    this.scheduleRefresh();
  }

  /** Drop through XAPI (it reaches every call); through Call Control only when XAPI is not configured. */
  async drop(id: number): Promise<void> {
    const { xapi, callcontrol } = this.deps.upstreams();
    if (xapi && usable(xapi)) await xapi.dropCall(id);
    else if (connected(callcontrol)) await callcontrol.dropCall(id);
    else throw RelayError.unconfigured('3CX');
    // The cached list still shows the dropped call; the next poll must not.
    this.cached = null;
    this.callControlChanged();
  }

  /** Call Control for a DN it monitors (the user's phone rings first), XAPI Users/Pbx.MakeCall for any other. */
  async makeCall(from: string, to: string): Promise<{ callId?: string }> {
    const { xapi, callcontrol } = this.deps.upstreams();
    const route = makeCallRoute(from, {
      monitored: connected(callcontrol) ? callcontrol.monitoredDns() : null,
      callControlConfigured: usable(callcontrol),
      xapiConfigured: usable(xapi),
    });
    if (route === 'callcontrol') return callcontrol!.makeCall(from, to);
    if (route === 'xapi') return xapi!.makeCall(from, to);
    throw RelayError.unconfigured('3CX');
  }

  /** Cancels a pending refresh (relay stop). */
  close(): void {
    this.closed = true;
    this.refreshTimer?.cancel();
    this.refreshTimer = null;
  }

  /** One pending refresh at most: now, or once the interval since the last XAPI request has passed. */
  private scheduleRefresh(): void {
    if (this.refreshTimer || this.closed) return;
    const wait = this.lastFetchAt + this.refreshIntervalMs - this.deps.clock.now();
    if (wait <= 0) {
      void this.refresh();
      return;
    }
    this.refreshTimer = this.deps.clock.setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, wait);
  }

  private async refresh(): Promise<void> {
    const { xapi, callcontrol } = this.deps.upstreams();
    if (!xapi || !usable(xapi)) {
      if (connected(callcontrol)) this.publishIfChanged(callcontrol.activeCalls());
      return;
    }
    if (this.inFlight?.source === xapi) {
      this.refreshAgain = true;
      return;
    }
    try {
      await this.fetchShared(xapi);
    } catch {
      // The failure is in the XAPI component's state and the error feed.
      if (connected(callcontrol)) this.publishIfChanged(callcontrol.activeCalls());
    }
  }

  private fetchShared(xapi: XapiPort): Promise<Entry> {
    if (this.inFlight && this.inFlight.source === xapi) return this.inFlight.promise;
    this.lastFetchAt = this.deps.clock.now();
    const promise = xapi.getActiveCalls().then((value) => {
      const entry = { at: this.deps.clock.now(), value, source: xapi };
      this.cached = entry;
      this.publishIfChanged(value);
      return entry;
    }).finally(() => {
      // Spaced from the answer, like the pollers' cache: a change-triggered refresh
      // one interval after the request *started* would land inside the cache's
      // second and cost an extra request per interval (benchmark 4).
      this.lastFetchAt = this.deps.clock.now();
      if (this.inFlight?.promise !== promise) return;
      this.inFlight = null;
      if (this.refreshAgain) {
        this.refreshAgain = false;
        this.scheduleRefresh();
      }
    });
    this.inFlight = { promise, source: xapi };
    return promise;
  }

  private publishIfChanged(value: ActiveCall[]): void {
    if (!this.deps.publish || this.closed) return;
    const key = listKey(value);
    if (key === this.lastPublished) return;
    this.lastPublished = key;
    this.deps.publish(value);
  }

  private fromCallControl(cc: CallControlPort): ActiveCallsResponse {
    return { value: cc.activeCalls(), source: 'callcontrol', asOf: new Date(this.deps.clock.now()).toISOString() };
  }

  private answer(entry: Entry): ActiveCallsResponse {
    return { value: entry.value, source: 'xapi', asOf: new Date(entry.at).toISOString() };
  }
}
