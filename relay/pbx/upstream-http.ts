// HTTP to the PBX, shared by the token broker, XAPI and Call Control REST.
// Statuses are answered as values (validateStatus accepts all) and transport
// failures become RelayErrors here, so no axios error object — which holds
// the request body and headers, i.e. the secret or the bearer token — ever
// leaves this module.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { RelayError } from '../core/relay-error.js';
import { redactString } from '../core/redact.js';

export interface UpstreamHttpOptions {
  baseUrl: string;
  /** Every request is abandoned after this long (504 upstream_timeout). */
  timeoutMs: number;
  /** Values that must never appear in an error message (the client secret). */
  secrets?: readonly string[];
}

export class UpstreamHttp {
  readonly baseUrl: string;
  readonly #timeoutMs: number;
  readonly #secrets: readonly string[];
  // Own agents so stop() can close kept-alive sockets instead of leaving
  // them to the global agent.
  readonly #httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  readonly #httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  readonly #axios: AxiosInstance;

  constructor(opts: UpstreamHttpOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = opts.timeoutMs;
    this.#secrets = opts.secrets ?? [];
    this.#axios = axios.create({
      baseURL: this.baseUrl,
      timeout: opts.timeoutMs,
      validateStatus: () => true,
      maxRedirects: 0,
      httpAgent: this.#httpAgent,
      httpsAgent: this.#httpsAgent,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      // Call records and call lists are small; anything this large is not 3CX.
      maxContentLength: 16 * 1024 * 1024,
    });
  }

  /** Send a request; resolves with any HTTP status, rejects only with a RelayError. */
  async request<T = unknown>(config: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    try {
      return await this.#axios.request<T>(config);
    } catch (e) {
      throw transportError(e, `${(config.method ?? 'GET').toUpperCase()} ${config.url ?? ''}`, this.#timeoutMs, this.#secrets);
    }
  }

  /** Close kept-alive sockets. The instance stays usable (new sockets are opened on demand). */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }
}

function transportError(e: unknown, what: string, timeoutMs: number, secrets: readonly string[]): RelayError {
  if (e instanceof RelayError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return RelayError.upstreamTimeout(`3CX did not answer ${what} within ${timeoutMs} ms`, { code });
  }
  const raw = e instanceof Error ? e.message : String(e);
  return RelayError.upstream(`cannot reach 3CX (${what}): ${redactString(raw, secrets)}`, { code });
}

/** 3CX's own words from an error body: OData `{error:{code,message}}`, OAuth2 `{error, error_description}`, or text. */
export function upstreamMessage(body: unknown): { code: string | null; message: string | null } {
  if (typeof body === 'string') {
    const text = body.trim();
    return { code: null, message: text ? text.slice(0, 300) : null };
  }
  if (!body || typeof body !== 'object') return { code: null, message: null };
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (err && typeof err === 'object') {
    const o = err as Record<string, unknown>;
    return { code: typeof o.code === 'string' ? o.code : null, message: typeof o.message === 'string' ? o.message : null };
  }
  if (typeof err === 'string') {
    const desc = typeof b.error_description === 'string' ? b.error_description : null;
    return { code: err, message: desc };
  }
  if (typeof b.message === 'string') return { code: null, message: b.message };
  if (typeof b.title === 'string') return { code: null, message: b.title };
  return { code: null, message: null };
}

/** A non-2xx answer as a RelayError carrying the status and 3CX's message. */
export function upstreamStatusError(res: AxiosResponse, what: string, secrets: readonly string[] = []): RelayError {
  const { code, message } = upstreamMessage(res.data);
  const said = message ?? code;
  const text = `3CX answered ${res.status} to ${what}${said ? `: ${said}` : ''}`;
  return RelayError.upstream(redactString(text, secrets), { status: res.status, upstreamCode: code });
}

export function isSuccess(res: AxiosResponse): boolean {
  return res.status >= 200 && res.status < 300;
}
