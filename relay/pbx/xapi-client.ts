// 3CX Configuration API (XAPI, OData v4) — the parts the relay uses: the
// active-call list (system-wide, unlike Call Control), dropping any call,
// click-to-call for a DN Call Control does not monitor, and the PBX's
// version and licence (SystemStatus) plus its extension count (Users), read
// at start and on every reconnect.
import type { AxiosResponse } from 'axios';
import { z } from 'zod';
import type { ActiveCall, PbxStatus } from '../contract/api-types.js';
import { RelayError, describeError, isRelayError } from '../core/relay-error.js';
import { ComponentStatus, type ComponentDeps } from './component-status.js';
import { makeCallOutcome } from './make-call-result.js';
import { parseSystemStatus } from './pbx-status.js';
import { parseQueues, parseUsers, type XapiQueueInfo, type XapiQueueStatus, type XapiUserInfo } from './xapi-supervisor.js';
import type { TokenBroker } from './token-broker.js';
import { isCredentialsRejected } from './token-broker.js';
import type { XapiPort } from './upstream.js';
import { xapiForbidden } from './upstream-error-messages.js';
import { UpstreamHttp, isSuccess, upstreamStatusError } from './upstream-http.js';

export interface XapiClientOptions extends ComponentDeps {
  /** The shared token broker; null when the PBX is not configured (state `unconfigured`). */
  broker: TokenBroker | null;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** A health check reads SystemStatus and Users again when the last read is this old (default 10 min). */
  pbxStatusMaxAgeMs?: number;
}

/** The token broker learns the PBX version from us (it decides the unit of `expires_in` before 20.0.9). */
interface VersionAwareBroker {
  setPbxVersion?(version: string): void;
}

const XAPI = '/xapi/v1';

const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? '' : String(v)));
const isoOrNull = z.string().nullish().transform((v) => v ?? null);

/** One ActiveCalls entity; tolerant of missing fields, strict about the id. */
const activeCallEntity = z.object({
  Id: z.coerce.number().int(),
  Caller: text,
  Callee: text,
  Status: text,
  LastChangeStatus: isoOrNull,
  EstablishedAt: isoOrNull,
  ServerNow: isoOrNull,
});

const odataCollection = z.object({ value: z.array(z.unknown()), '@odata.count': z.number().int().nonnegative().optional() });

/** Parse an OData `ActiveCalls` answer into the contract's ActiveCall list. Entities without an Id are skipped. */
export function parseActiveCalls(body: unknown, now: Date): ActiveCall[] {
  const envelope = odataCollection.safeParse(body);
  if (!envelope.success) throw RelayError.upstream('3CX answered ActiveCalls without an OData "value" list');
  const calls: ActiveCall[] = [];
  for (const item of envelope.data.value) {
    const parsed = activeCallEntity.safeParse(item);
    if (!parsed.success) continue;
    const c = parsed.data;
    const serverNow = c.ServerNow ?? now.toISOString();
    calls.push({
      Id: c.Id,
      Caller: c.Caller,
      Callee: c.Callee,
      Status: c.Status,
      LastChangeStatus: c.LastChangeStatus ?? serverNow,
      EstablishedAt: c.EstablishedAt,
      ServerNow: serverNow,
    });
  }
  return calls;
}

export class XapiClient extends ComponentStatus implements XapiPort {
  readonly #broker: TokenBroker | null;
  readonly #http: UpstreamHttp | null;
  readonly #pbxStatusMaxAgeMs: number;
  #stopped = false;
  #pbx: PbxStatus | null = null;
  #userCount: number | null = null;
  // When SystemStatus and Users were last read (successfully or not); null = never.
  #probedAt: number | null = null;

  constructor(opts: XapiClientOptions) {
    super('xapi', opts, opts.broker !== null);
    this.#broker = opts.broker;
    this.#http = opts.broker ? new UpstreamHttp({ baseUrl: opts.broker.baseUrl, timeoutMs: opts.timeoutMs ?? 10_000 }) : null;
    this.#pbxStatusMaxAgeMs = opts.pbxStatusMaxAgeMs ?? 600_000;
  }

  /** The PBX as SystemStatus last described it; null before the first answer. */
  pbxStatus(): PbxStatus | null {
    return this.#pbx;
  }

  /** Number of XAPI Users (extensions); null before the first answer. */
  userCount(): number | null {
    return this.#userCount;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    if (!this.#broker) return;
    this.setState('connecting');
    await this.#probePbx();
    await this.check();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#http?.close();
    if (this.#broker) this.setState('disconnected', null);
  }

  async reconnect(): Promise<void> {
    if (!this.#broker) return;
    this.#broker.clearRejection();
    this.#http?.close();
    this.#stopped = false;
    this.setState('connecting');
    await this.#probePbx();
    await this.check();
  }

  async check(): Promise<void> {
    if (!this.#broker) return;
    // A probe that failed is tried again after a minute, quietly: the state is
    // the ActiveCalls probe's to set, or a client whose role may not read
    // SystemStatus would flap between error and connected.
    const age = this.#probedAt === null ? Infinity : this.clock.now() - this.#probedAt;
    const maxAge = this.#pbx ? this.#pbxStatusMaxAgeMs : Math.min(60_000, this.#pbxStatusMaxAgeMs);
    if (age >= maxAge) await this.#probePbx({ quiet: true });
    try {
      // ActiveCalls?$top=1 is authenticated, always present and tiny.
      await this.#send({ method: 'GET', url: `${XAPI}/ActiveCalls`, params: { $top: 1 } }, 'GET ActiveCalls');
    } catch {
      // #send already recorded the failure in the component state.
    }
  }

  async getActiveCalls(): Promise<ActiveCall[]> {
    const res = await this.#send({ method: 'GET', url: `${XAPI}/ActiveCalls` }, 'GET ActiveCalls');
    try {
      return parseActiveCalls(res.data, new Date(this.clock.now()));
    } catch (e) {
      this.#failed(e);
      throw e;
    }
  }

  /** `GET SystemStatus`: version, licence, extensions and trunks. */
  async getSystemStatus(opts: { quiet?: boolean } = {}): Promise<PbxStatus> {
    const res = await this.#send({ method: 'GET', url: `${XAPI}/SystemStatus` }, 'GET SystemStatus', {}, opts);
    const status = parseSystemStatus(res.data, new Date(this.clock.now()));
    if (!status) throw RelayError.upstream('3CX answered SystemStatus with something other than an object');
    return status;
  }

  /** How many Users (extensions) the PBX has: `@odata.count` when 3CX gives it, else the length of the list. */
  async countUsers(opts: { quiet?: boolean } = {}): Promise<number> {
    const res = await this.#send({ method: 'GET', url: `${XAPI}/Users`, params: { $select: 'Number', $count: 'true' } }, 'GET Users', {}, opts);
    const envelope = odataCollection.safeParse(res.data);
    if (!envelope.success) throw RelayError.upstream('3CX answered Users without an OData "value" list');
    return envelope.data['@odata.count'] ?? envelope.data.value.length;
  }

  /** Click-to-call through XAPI (`POST Users/Pbx.MakeCall`): needs no Call Control monitoring of `dn`. */
  async makeCall(dn: string, destination: string): Promise<{ callId?: string }> {
    const res = await this.#send({ method: 'POST', url: `${XAPI}/Users/Pbx.MakeCall`, data: { dn, destination } }, 'POST Users/Pbx.MakeCall', {
      404: () => RelayError.notFound(`3CX does not know extension ${dn}`),
    });
    return makeCallOutcome(res.data, `3CX did not place the call from ${dn}`);
  }

  /** `GET Queues?$expand=Agents`: every queue with its members in one request (not one `Queues({Id})/Agents` per queue). */
  async getQueues(): Promise<XapiQueueInfo[]> {
    const res = await this.#send({ method: 'GET', url: `${XAPI}/Queues`, params: { $select: 'Id,Number,Name,SLATime', $expand: 'Agents' } }, 'GET Queues');
    return parseQueues(res.data);
  }

  /** `GET Users`: queue login status and phone registration per extension. */
  async getUsers(): Promise<XapiUserInfo[]> {
    const res = await this.#send({ method: 'GET', url: `${XAPI}/Users`, params: { $select: 'Id,Number,DisplayName,FirstName,LastName,QueueStatus,IsRegistered' } }, 'GET Users');
    return parseUsers(res.data);
  }

  /** `PATCH Users({Id})` `{QueueStatus}`: logs the user in or out of all its queues. */
  async setQueueStatus(userId: number, status: XapiQueueStatus): Promise<void> {
    const what = `PATCH Users(${userId})`;
    await this.#send({ method: 'PATCH', url: `${XAPI}/Users(${userId})`, data: { QueueStatus: status } }, what, {
      404: () => RelayError.notFound(`3CX has no user ${userId}`),
    });
  }

  /**
   * SystemStatus and the Users count, at start, on reconnect and when old.
   * At start and reconnect a failure is recorded in the component state by
   * #send (its message is the clearest first word); what was known before is
   * kept (a version does not change because a read failed).
   */
  async #probePbx(opts: { quiet?: boolean } = {}): Promise<void> {
    this.#probedAt = this.clock.now();
    try {
      const status = await this.getSystemStatus(opts);
      this.#pbx = status;
      if (status.version) (this.#broker as VersionAwareBroker | null)?.setPbxVersion?.(status.version);
      this.#userCount = await this.countUsers(opts);
    } catch (e) {
      this.log.warn('could not read the PBX status', { error: describeError(e) });
    }
  }

  async dropCall(id: number): Promise<void> {
    if (!Number.isSafeInteger(id)) throw RelayError.badRequest('a call id is a whole number');
    const what = `POST ActiveCalls(${id})/Pbx.DropCall`;
    await this.#send({ method: 'POST', url: `${XAPI}/ActiveCalls(${id})/Pbx.DropCall`, data: {} }, what, {
      404: () => RelayError.notFound(`3CX has no active call ${id}`),
    });
  }

  /**
   * One authorised request. Success marks the component connected and
   * records the latency; an upstream failure marks it errored. Answers listed
   * in `expected` (e.g. 404 on drop) are the caller's business, not a fault.
   */
  async #send(
    config: { method: 'GET' | 'POST' | 'PATCH'; url: string; params?: Record<string, unknown>; data?: unknown },
    what: string,
    expected: Record<number, () => RelayError> = {},
    opts: { quiet?: boolean } = {},
  ): Promise<AxiosResponse> {
    const failed = (e: unknown) => {
      if (opts.quiet) this.log.debug('XAPI request failed', { error: describeError(e) });
      else this.#failed(e);
    };
    const broker = this.#broker;
    const http = this.#http;
    if (!broker || !http) throw RelayError.unconfigured('the 3CX connection (XAPI)');
    // A start still probing when stop() came must not go on asking 3CX (a team leader stepping down).
    if (this.#stopped) throw RelayError.unconfigured('the 3CX connection (XAPI, stopped)');
    const started = this.clock.now();
    let res: AxiosResponse;
    try {
      res = await broker.withToken((token) =>
        http.request({ ...config, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }),
      );
    } catch (e) {
      failed(e);
      throw e;
    }
    const mapped = expected[res.status];
    if (mapped) {
      this.#succeeded(started);
      throw mapped();
    }
    if (res.status === 403) {
      const error = xapiForbidden(what, res.data);
      failed(error);
      throw error;
    }
    if (!isSuccess(res)) {
      const error = upstreamStatusError(res, what);
      failed(error);
      throw error;
    }
    this.#succeeded(started);
    return res;
  }

  #succeeded(started: number): void {
    this.recordLatency(this.clock.now() - started);
    if (!this.#stopped) this.setState('connected');
  }

  #failed(e: unknown): void {
    const message = describeError(e);
    this.log.warn('XAPI request failed', { error: message });
    if (this.#stopped) return;
    const severity = isCredentialsRejected(e) ? 'critical' : 'error';
    this.fail(message, { severity, details: isRelayError(e) ? e.details : undefined });
  }
}
