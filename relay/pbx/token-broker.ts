// The one OAuth2 client-credentials token for a 3CX client id, shared by
// XAPI and Call Control. 3CX keeps a single valid token per client: every
// token request revokes the previous token, so two fetchers would keep
// invalidating each other. Hence: one broker, concurrent callers await the
// same request, refresh ahead of expiry, and on a 401 refresh only if nobody
// else already did.
import type { AxiosResponse } from 'axios';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { RelayError, describeError } from '../core/relay-error.js';
import { redactString } from '../core/redact.js';
import type { PbxConfig } from './pbx-config.js';
import { validatePbxConfig } from './pbx-config.js';
import { tokenLifetime, type LifetimeSource } from './token-lifetime.js';
import { UpstreamHttp, isSuccess, upstreamMessage } from './upstream-http.js';

export interface TokenBrokerOptions {
  config: PbxConfig;
  clock?: Clock;
  logger?: Logger;
  /** Per token request (default 10 s). */
  timeoutMs?: number;
  /** After 3CX rejected the credentials, fail fast for this long instead of asking again (default 30 s). */
  credentialRetryMs?: number;
  /**
   * The PBX's version (XAPI SystemStatus `Version`) when something has read
   * it; decides the unit of `expires_in` when the token is not a readable JWT.
   * `setPbxVersion()` does the same for a version learned later.
   */
  pbxVersion?: () => string | null | undefined;
}

/** Code of the RelayError raised when 3CX rejects the client id or secret. */
export const CREDENTIALS_REJECTED = 'upstream_auth_rejected';

// OAuth2 error codes that mean "these credentials are no good" — retrying
// them cannot help and would only hammer the PBX.
const CREDENTIAL_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'access_denied']);

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive().optional(),
});

interface HeldToken {
  accessToken: string;
  expiresIn: number | undefined;
  lifetimeSource: LifetimeSource;
  obtainedAt: number;
  expiresAt: number;
  refreshAt: number;
}

function holdToken(accessToken: string, expiresIn: number | undefined, version: string | null, obtainedAt: number): HeldToken {
  const lifetime = tokenLifetime(accessToken, expiresIn, version, obtainedAt);
  return {
    accessToken,
    expiresIn,
    lifetimeSource: lifetime.source,
    obtainedAt,
    expiresAt: obtainedAt + lifetime.ms,
    refreshAt: obtainedAt + refreshDelayMs(lifetime.ms),
  };
}

/**
 * How long after issue to refresh a token living `lifetimeMs`: at 80 % of
 * its life or 60 s before expiry, whichever is earlier, but never before
 * half its life (a 10 s test token is not refreshed on every call).
 */
export function refreshDelayMs(lifetimeMs: number): number {
  const earlier = Math.min(lifetimeMs * 0.8, lifetimeMs - 60_000);
  return Math.max(earlier, lifetimeMs * 0.5);
}

export function isCredentialsRejected(e: unknown): boolean {
  return e instanceof RelayError && e.code === CREDENTIALS_REJECTED;
}

export class TokenBroker {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly #secret: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #credentialRetryMs: number;
  readonly #http: UpstreamHttp;
  readonly #versionProvider: (() => string | null | undefined) | undefined;
  #version: string | null = null;
  #token: HeldToken | null = null;
  #inflight: Promise<HeldToken> | null = null;
  #retired = false;
  #rejected: { error: RelayError; until: number } | null = null;
  #requests = 0;

  constructor(opts: TokenBrokerOptions) {
    const config = validatePbxConfig(opts.config);
    this.baseUrl = config.baseUrl;
    this.clientId = config.clientId;
    this.#secret = config.clientSecret;
    this.#clock = opts.clock ?? systemClock;
    this.#log = (opts.logger ?? silentLogger).child({ component: 'token' });
    this.#credentialRetryMs = opts.credentialRetryMs ?? 30_000;
    this.#http = new UpstreamHttp({ baseUrl: this.baseUrl, timeoutMs: opts.timeoutMs ?? 10_000, secrets: [this.#secret] });
    this.#versionProvider = opts.pbxVersion;
  }

  /** The PBX version the broker goes by (set, else the provider's), or null. */
  get pbxVersion(): string | null {
    return this.#version ?? this.#versionProvider?.() ?? null;
  }

  /** How the held token's lifetime was decided (diagnostics and tests), or null when none is held. */
  get lifetimeSource(): LifetimeSource | null {
    return this.#token?.lifetimeSource ?? null;
  }

  /**
   * Tell the broker which 3CX release it talks to (from a SystemStatus probe).
   * A held token whose lifetime was a guess from `expires_in` is re-timed
   * at once, so a late version still prevents churn on the current token.
   */
  setPbxVersion(version: string | null): void {
    this.#version = version;
    const held = this.#token;
    if (held && held.lifetimeSource !== 'jwt_exp') {
      this.#token = holdToken(held.accessToken, held.expiresIn, this.pbxVersion, held.obtainedAt);
    }
  }

  /** Token requests sent so far (diagnostics and tests). */
  get requestCount(): number {
    return this.#requests;
  }

  /** When the held token expires (ms since epoch), or null when none is held. */
  get expiresAt(): number | null {
    return this.#token?.expiresAt ?? null;
  }

  /** A valid access token, fetching or refreshing it when due. */
  async getToken(): Promise<string> {
    const held = this.#token;
    if (held && this.#clock.now() < held.refreshAt) return held.accessToken;
    return (await this.#fetchShared()).accessToken;
  }

  /**
   * A new token because `staleToken` was refused (401). If another caller
   * already replaced it, that newer token is returned without a request.
   */
  async refresh(staleToken?: string): Promise<string> {
    if (this.#inflight) return (await this.#inflight).accessToken;
    const held = this.#token;
    if (held && staleToken !== undefined && held.accessToken !== staleToken && this.#clock.now() < held.refreshAt) {
      return held.accessToken;
    }
    this.#token = null;
    return (await this.#fetchShared()).accessToken;
  }

  /**
   * Run `send` with a bearer token; on a 401 refresh once and retry once.
   * The second answer is returned whatever its status.
   */
  async withToken<T>(send: (token: string) => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
    const token = await this.getToken();
    const first = await send(token);
    if (first.status !== 401) return first;
    this.#log.info('3CX refused the access token (401); refreshing once');
    const fresh = await this.refresh(token);
    return send(fresh);
  }

  /** Forget a credentials rejection so the next call asks 3CX again (manual reconnect). */
  clearRejection(): void {
    this.#rejected = null;
  }

  /** Drop the held token and close sockets. Later calls fetch a new token. */
  stop(): void {
    this.#token = null;
    this.#http.close();
  }

  /**
   * Stop for good: this broker's upstream set is being discarded (a team
   * leader stepping down, a reconfigure, the relay stopping). A start still
   * connecting to a slow PBX must not fetch a token after this, or a relay
   * that lost the team's lock could still be asking 3CX for one.
   */
  retire(): void {
    this.#retired = true;
    this.stop();
  }

  #fetchShared(): Promise<HeldToken> {
    if (this.#retired) return Promise.reject(RelayError.unconfigured('the 3CX connection (stopped)'));
    const rejected = this.#rejected;
    if (rejected && this.#clock.now() < rejected.until) return Promise.reject(rejected.error);
    if (!this.#inflight) {
      this.#inflight = this.#fetch().finally(() => {
        this.#inflight = null;
      });
    }
    return this.#inflight;
  }

  async #fetch(): Promise<HeldToken> {
    this.#requests += 1;
    const form = new URLSearchParams({ client_id: this.clientId, client_secret: this.#secret, grant_type: 'client_credentials' });
    const started = this.#clock.now();
    let res: AxiosResponse;
    try {
      res = await this.#http.request({
        method: 'POST',
        url: '/connect/token',
        data: form.toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      });
    } catch (e) {
      this.#log.warn('token request failed', { error: describeError(e) });
      throw e;
    }
    if (!isSuccess(res)) throw this.#rejectedAnswer(res);
    const parsed = tokenResponse.safeParse(res.data);
    if (!parsed.success) {
      throw RelayError.upstream('3CX answered the token request without an access_token', { status: res.status });
    }
    const token = holdToken(parsed.data.access_token, parsed.data.expires_in, this.pbxVersion, started);
    this.#token = token;
    this.#rejected = null;
    this.#log.debug('access token obtained', { expiresInS: (token.expiresAt - started) / 1000, from: token.lifetimeSource });
    return token;
  }

  #rejectedAnswer(res: AxiosResponse): RelayError {
    const { code, message } = upstreamMessage(res.data);
    const detail = redactString([code, message].filter(Boolean).join(': '), [this.#secret]);
    const credentials = res.status === 401 || res.status === 403 || (code !== null && CREDENTIAL_ERRORS.has(code));
    if (credentials) {
      const error = new RelayError(
        CREDENTIALS_REJECTED,
        502,
        `3CX rejected the client id "${this.clientId}" or its secret (HTTP ${res.status}${detail ? `, ${detail}` : ''}); ` +
          'check the API client under Admin Console → Integrations → API',
        { status: res.status, upstreamCode: code },
      );
      this.#rejected = { error, until: this.#clock.now() + this.#credentialRetryMs };
      this.#log.warn('3CX rejected the client credentials', { status: res.status, upstreamCode: code });
      return error;
    }
    return RelayError.upstream(`3CX answered ${res.status} to the token request${detail ? `: ${detail}` : ''}`, {
      status: res.status,
      upstreamCode: code,
    });
  }
}
