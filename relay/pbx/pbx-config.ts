// What the upstream clients need to be told. A missing part is not an error:
// its component reports `unconfigured`. A present but unusable part (an
// http:// URL to a remote host) is refused here, before anything connects.
import { isLoopbackHost } from '../contract/loopback.js';
import { RelayError } from '../core/relay-error.js';

export interface PbxConfig {
  /** `https://pbx.example.com[:port]`; `http://` only for a loopback host (simulators). */
  baseUrl: string;
  /** XAPI / Call Control client id (also the route point DN in 3CX). */
  clientId: string;
  clientSecret: string;
}

/** Section names of 3CXPhoneSystem.ini (defaults in cdr-connection.ts: CfgServerProfile, QMDatabase, DbAdminREADONLY). */
export interface IniSectionNames {
  /** DBHost, DBPort, MasterDBUser, MasterDBPassword. */
  server: string;
  /** DBName, DBHost, DBPort. */
  database: string;
  /** User, Password of the read-only login. */
  readonly: string;
}

export type CdrConfig =
  | { url: string }
  /** Without `iniPath`, 3CX's default locations are tried. */
  | { iniPath?: string; iniSections?: Partial<IniSectionNames> };

export interface UpstreamConfig {
  pbx?: PbxConfig | null;
  cdr?: CdrConfig | null;
}

/** Timeouts and intervals; defaults suit a real PBX, tests shorten them. */
export interface UpstreamTuning {
  /** Per HTTP request to 3CX (token, XAPI, Call Control REST). */
  requestTimeoutMs?: number;
  /** After 3CX rejected the client id/secret, ask again no sooner than this. */
  credentialRetryMs?: number;
  /** Call Control reconnect: first delay and cap of the exponential backoff. */
  reconnectBaseMs?: number;
  reconnectCapMs?: number;
  /** WebSocket ping interval; a missing pong by the next ping ends the socket. */
  pingIntervalMs?: number;
  /** Call Control: the live call list is emitted at most once per this many ms (trailing edge kept). */
  callsCoalesceMs?: number;
  /** CDR: per-statement timeout and pool size. */
  cdrStatementTimeoutMs?: number;
  cdrPoolMax?: number;
}

/**
 * The PBX base URL without trailing slash, or a RelayError bad_request saying
 * what is wrong. 3CX always serves HTTPS; plain HTTP is accepted only on
 * loopback, where the simulator runs.
 */
export function normalizePbxBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw RelayError.badRequest(`the 3CX URL "${raw}" is not a URL; use e.g. https://pbx.example.com`);
  }
  if (url.username || url.password) throw RelayError.badRequest('the 3CX URL must not contain credentials');
  if (url.search || url.hash) throw RelayError.badRequest('the 3CX URL must not contain a query or fragment');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw RelayError.badRequest(`the 3CX URL must use https:// (http:// is accepted only for a loopback simulator): ${url.origin}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw RelayError.badRequest(`the 3CX URL must start with https:// (got ${url.protocol})`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function validatePbxConfig(config: PbxConfig): PbxConfig {
  const baseUrl = normalizePbxBaseUrl(config.baseUrl);
  if (!config.clientId.trim()) throw RelayError.badRequest('the 3CX client id is empty');
  if (!config.clientSecret) throw RelayError.badRequest('the 3CX client secret (API key) is empty');
  return { baseUrl, clientId: config.clientId.trim(), clientSecret: config.clientSecret };
}
