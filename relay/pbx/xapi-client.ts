// 3CX Configuration API (XAPI, OData v4) — the parts the relay uses: the
// active-call list, dropping a call, and a cheap authenticated probe.
import type { AxiosResponse } from 'axios';
import { z } from 'zod';
import type { ActiveCall } from '../contract/api-types.js';
import { RelayError, describeError, isRelayError } from '../core/relay-error.js';
import { ComponentStatus, type ComponentDeps } from './component-status.js';
import type { TokenBroker } from './token-broker.js';
import { isCredentialsRejected } from './token-broker.js';
import type { XapiPort } from './upstream.js';
import { UpstreamHttp, isSuccess, upstreamStatusError } from './upstream-http.js';

export interface XapiClientOptions extends ComponentDeps {
  /** The shared token broker; null when the PBX is not configured (state `unconfigured`). */
  broker: TokenBroker | null;
  /** Per request (default 10 s). */
  timeoutMs?: number;
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

const odataCollection = z.object({ value: z.array(z.unknown()) });

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
  #stopped = false;

  constructor(opts: XapiClientOptions) {
    super('xapi', opts, opts.broker !== null);
    this.#broker = opts.broker;
    this.#http = opts.broker ? new UpstreamHttp({ baseUrl: opts.broker.baseUrl, timeoutMs: opts.timeoutMs ?? 10_000 }) : null;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    if (!this.#broker) return;
    this.setState('connecting');
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
    await this.check();
  }

  async check(): Promise<void> {
    if (!this.#broker) return;
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
    config: { method: 'GET' | 'POST'; url: string; params?: Record<string, unknown>; data?: unknown },
    what: string,
    expected: Record<number, () => RelayError> = {},
  ): Promise<AxiosResponse> {
    const broker = this.#broker;
    const http = this.#http;
    if (!broker || !http) throw RelayError.unconfigured('the 3CX connection (XAPI)');
    const started = this.clock.now();
    let res: AxiosResponse;
    try {
      res = await broker.withToken((token) =>
        http.request({ ...config, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }),
      );
    } catch (e) {
      this.#failed(e);
      throw e;
    }
    const mapped = expected[res.status];
    if (mapped) {
      this.#succeeded(started);
      throw mapped();
    }
    if (!isSuccess(res)) {
      const error = upstreamStatusError(res, what);
      this.#failed(error);
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
