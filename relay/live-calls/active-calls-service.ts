// Live calls for any number of local pollers at bounded upstream cost: the
// Call Control live list when that socket is connected (free), otherwise XAPI
// with one shared in-flight request and a short cache, so N pollers cost at
// most one XAPI request per cache period.
import type { ActiveCall, ActiveCallsResponse } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import { RelayError } from '../core/relay-error.js';
import type { CallControlPort, XapiPort } from '../pbx/upstream.js';

export interface ActiveCallsDeps {
  /** Looked up on every call so a reconfigure (new clients) takes effect at once. */
  upstreams(): { xapi?: XapiPort; callcontrol?: CallControlPort };
  clock: Clock;
  /** How long an XAPI answer is reused; at most 1 s. */
  cacheMs?: number;
}

export class ActiveCallsService {
  private readonly cacheMs: number;
  private cached: { at: number; value: ActiveCall[]; source: XapiPort } | null = null;
  private inFlight: { promise: Promise<{ at: number; value: ActiveCall[] }>; source: XapiPort } | null = null;

  constructor(private readonly deps: ActiveCallsDeps) {
    this.cacheMs = Math.min(deps.cacheMs ?? 1000, 1000);
  }

  async list(): Promise<ActiveCallsResponse> {
    const { xapi, callcontrol } = this.deps.upstreams();
    if (callcontrol && callcontrol.health().state === 'connected') {
      return { value: callcontrol.activeCalls(), source: 'callcontrol', asOf: new Date(this.deps.clock.now()).toISOString() };
    }
    if (!xapi || xapi.health().state === 'unconfigured') {
      throw callcontrol && callcontrol.health().state !== 'unconfigured'
        ? RelayError.upstream('the Call Control connection is down and XAPI is not configured; live calls are unavailable')
        : RelayError.unconfigured('3CX');
    }
    const now = this.deps.clock.now();
    if (this.cached && this.cached.source === xapi && now - this.cached.at < this.cacheMs) {
      return this.answer(this.cached);
    }
    return this.answer(await this.fetchShared(xapi));
  }

  /** Drop through Call Control when it is up, else through XAPI. */
  async drop(id: number): Promise<void> {
    const { xapi, callcontrol } = this.deps.upstreams();
    if (callcontrol && callcontrol.health().state === 'connected') await callcontrol.dropCall(id);
    else if (xapi && xapi.health().state !== 'unconfigured') await xapi.dropCall(id);
    else throw RelayError.unconfigured('3CX');
    // The cached list still shows the dropped call; the next poll must not.
    this.cached = null;
  }

  async makeCall(from: string, to: string): Promise<{ callId?: string }> {
    const { callcontrol } = this.deps.upstreams();
    if (!callcontrol || callcontrol.health().state === 'unconfigured') throw RelayError.unconfigured('3CX Call Control');
    return callcontrol.makeCall(from, to);
  }

  private fetchShared(xapi: XapiPort): Promise<{ at: number; value: ActiveCall[] }> {
    if (this.inFlight && this.inFlight.source === xapi) return this.inFlight.promise;
    const promise = xapi.getActiveCalls().then(
      (value) => {
        const entry = { at: this.deps.clock.now(), value, source: xapi };
        this.cached = entry;
        return entry;
      },
    ).finally(() => {
      if (this.inFlight?.promise === promise) this.inFlight = null;
    });
    this.inFlight = { promise, source: xapi };
    return promise;
  }

  private answer(entry: { at: number; value: ActiveCall[] }): ActiveCallsResponse {
    return { value: entry.value, source: 'xapi', asOf: new Date(entry.at).toISOString() };
  }
}
