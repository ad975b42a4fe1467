// The Host and Origin rules of the contract (section 4), as pure functions so
// REST, admin and the WebSocket upgrade apply exactly the same decision.
//
// Host: a DNS-rebinding page reaches 127.0.0.1 under the attacker's own name,
// so the browser sends `Host: evil.example`; only loopback names (with our
// port) or names the operator configured are served.
// Origin: browsers always send it on cross-site requests and WebSocket
// upgrades; non-browser clients usually don't, and are not subject to it.
import type { RequestHandler } from 'express';
import { sendJson } from '../send-json.js';
import { readArrival, type IncomingLike } from './forwarded.js';
import type { ProxyTrust } from './listen-security.js';

export interface HostRule {
  /** The port the relay listens on. */
  port: number;
  /** Operator-configured names: `name` (any port we listen on, or none) or `name:port` (exactly). */
  extraNames?: readonly string[];
  /** The port a browser leaves out of Host: 80, or 443 over https. */
  defaultPort?: number;
}

export interface OriginRule {
  /** The relay's own origins (see ownOrigins()). */
  ownOrigins: readonly string[];
  /** Configured extra origins, e.g. `https://crm.example.com`, `app://relay`. */
  allowList?: readonly string[];
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'] as const;

interface HostParts { hostname: string; port: number | null }

/** Splits a Host header (`name`, `name:port`, `[v6]:port`); null when it is not a plain host. */
export function parseHost(value: string): HostParts | null {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m || !m[1]) return null;
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) return null;
  return { hostname: m[1].toLowerCase().replace(/\.$/, ''), port };
}

/**
 * The exact Host values every client of ours sends (`127.0.0.1:PORT` etc.),
 * all of which the full check below accepts: a Set lookup instead of the
 * regex parse on every request. Remembered for the last port asked (the
 * relay listens on one port; it changes only when it rebinds).
 */
let loopbackHostsPort = -1;
let loopbackHosts = new Set<string>();
function isCanonicalLoopbackHost(hostHeader: string, port: number): boolean {
  if (port !== loopbackHostsPort) {
    const hosts: string[] = LOOPBACK_NAMES.map((n) => `${n}:${port}`);
    if (port === 80) hosts.push(...LOOPBACK_NAMES);
    loopbackHosts = new Set(hosts);
    loopbackHostsPort = port;
  }
  return loopbackHosts.has(hostHeader);
}

export function isAllowedHost(hostHeader: string | undefined, rule: HostRule): boolean {
  if (!hostHeader) return false; // HTTP/1.1 requires Host; a request without one is not a browser's
  if (isCanonicalLoopbackHost(hostHeader, rule.port)) return true;
  const host = parseHost(hostHeader);
  if (!host) return false;
  // A browser omits the port only when it is the scheme's default.
  const effectivePort = host.port ?? rule.defaultPort ?? 80;
  if ((LOOPBACK_NAMES as readonly string[]).includes(host.hostname)) return effectivePort === rule.port;
  for (const entry of rule.extraNames ?? []) {
    const allowed = parseHost(entry);
    if (!allowed || allowed.hostname !== host.hostname) continue;
    if (allowed.port !== null ? host.port === allowed.port : host.port === null || host.port === rule.port) return true;
  }
  return false;
}

/** `scheme://host[:port]` lowercased, default port dropped; null when not an origin. */
export function normalizeOrigin(value: string): string | null {
  if (!value || value === 'null') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!url.host) return null;
  // URL.origin is "null" for non-special schemes (app://, file://); build it by hand then.
  return url.origin !== 'null' ? url.origin.toLowerCase() : `${url.protocol}//${url.host}`.toLowerCase();
}

export function isAllowedOrigin(origin: string | undefined, rule: OriginRule): boolean {
  if (origin === undefined) return true; // no Origin: not a browser, nothing cross-site to prevent
  const normalized = normalizeOrigin(origin);
  if (!normalized) return false; // "null" (sandboxed frame, file://) or garbage
  return [...rule.ownOrigins, ...(rule.allowList ?? [])].some((o) => normalizeOrigin(o) === normalized);
}

/** The origins the relay's own pages are served from. */
export function ownOrigins(port: number, extraNames: readonly string[] = [], scheme: 'http' | 'https' = 'http'): string[] {
  const names = [...LOOPBACK_NAMES, ...extraNames.map((n) => parseHost(n)?.hostname).filter((n): n is string => !!n)];
  return names.map((n) => `${scheme}://${n}:${port}`);
}

export interface RequestPolicyOptions {
  /** Listening port; defaults to the local port the request arrived on. */
  port?: number | (() => number);
  /** Extra names accepted in Host (see HostRule). */
  extraHostNames?: readonly string[];
  /** Extra origins accepted from browsers. */
  allowedOrigins?: readonly string[];
  /** The relay speaks TLS itself: its own origins are https, HSTS is sent. */
  tls?: boolean;
  /** Behind a TLS-terminating reverse proxy: whose forwarded headers count (forwarded.ts). */
  trustProxy?: ProxyTrust;
}

export type PolicyVerdict = { ok: true } | { ok: false; message: string };

/** The one decision REST, admin and WebSocket upgrade share. */
export function checkRequestPolicy(
  headers: { host?: string | undefined; origin?: string | undefined },
  localPort: number | undefined,
  opts: RequestPolicyOptions,
  secure: boolean = opts.tls ?? false,
): PolicyVerdict {
  const port = typeof opts.port === 'function' ? opts.port() : opts.port ?? localPort;
  if (port === undefined) return { ok: false, message: 'the relay could not tell which port this request arrived on' };
  const extraNames = opts.extraHostNames ?? [];
  if (!isAllowedHost(headers.host, { port, extraNames, defaultPort: secure ? 443 : 80 })) {
    return { ok: false, message: 'this Host is not served by the relay; use 127.0.0.1 or localhost, or add the name to the relay settings' };
  }
  // ownOrigins is only worth building when there is an Origin to compare.
  if (headers.origin !== undefined && !isAllowedOrigin(headers.origin, { ownOrigins: ownOrigins(port, extraNames, secure ? 'https' : 'http'), allowList: opts.allowedOrigins ?? [] })) {
    return { ok: false, message: 'requests from this web origin are not allowed; add it to the relay\'s allowed origins if it should be' };
  }
  return { ok: true };
}

const single = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h);

/**
 * The decision for a request as it arrived: behind a trusted proxy the
 * forwarded Host and scheme replace the proxy's own (forwarded.ts), then the
 * Host and Origin rules above. `secure`: the client's leg was https.
 */
export function checkIncomingRequest(req: IncomingLike, opts: RequestPolicyOptions): PolicyVerdict & { secure?: boolean } {
  const arrival = readArrival(req, opts);
  if (!arrival.ok) return arrival;
  const verdict = checkRequestPolicy({ host: arrival.host, origin: single(req.headers.origin) }, req.socket.localPort, opts, arrival.secure);
  return verdict.ok ? { ok: true, secure: arrival.secure } : verdict;
}

// A year, the usual figure; no includeSubDomains: the relay cannot speak for
// the other hosts of its domain.
const HSTS = 'max-age=31536000';

/** Express middleware: 403 `{error, code: 'forbidden'}` for a foreign Host or Origin; HSTS on https. */
export function requestPolicyMiddleware(opts: RequestPolicyOptions = {}): RequestHandler {
  return (req, res, next) => {
    const verdict = checkIncomingRequest(req, opts);
    if (verdict.ok && verdict.secure) res.setHeader('Strict-Transport-Security', HSTS);
    if (verdict.ok) return next();
    sendJson(res, { error: verdict.message, code: 'forbidden' }, 403);
  };
}
