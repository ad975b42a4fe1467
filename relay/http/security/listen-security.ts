// How the relay may be reached beyond loopback (contract §7): TLS of its own,
// or a reverse proxy in front that terminates TLS, and in either case an
// explicit Host and Origin allow-list. One rule, used by the CLI's settings
// check (a clear refusal before anything starts) and again by the server
// itself, so no caller (desktop, tests, a future one) can bind a plain-http
// relay to the network by forgetting the check.
import { isLoopbackHost } from '../../contract/loopback.js';

/** PEM text of the certificate (chain) and its private key, read at start. */
export interface TlsCredentials {
  cert: string;
  key: string;
}

/**
 * A reverse proxy in front of the relay terminates TLS. Its forwarded headers
 * (X-Forwarded-Proto, X-Forwarded-Host) are believed only when the TCP peer
 * is one of `proxies`: IP addresses, or `loopback` (127.0.0.0/8 and ::1).
 */
export interface ProxyTrust {
  proxies: readonly string[];
}

export interface ListenSecurity {
  tls?: TlsCredentials;
  trustProxy?: ProxyTrust;
}

/** The literal that stands for every loopback address in a proxy list; also the default list. */
export const LOOPBACK_PROXY = 'loopback';

export interface ExposureSettings {
  host: string;
  security?: ListenSecurity | undefined;
  allowedHostNames: readonly string[];
  allowedOrigins: readonly string[];
}

/**
 * Why the relay must not listen with these settings, as one line naming the
 * flags to add; null when it may. Loopback needs nothing.
 */
export function exposureProblem(s: ExposureSettings): string | null {
  if (isLoopbackHost(s.host)) return null;
  const missing: string[] = [];
  if (!s.security?.tls && !s.security?.trustProxy) {
    missing.push('TLS (--tls-cert FILE --tls-key FILE, or --trust-proxy behind a reverse proxy that terminates TLS)');
  }
  if (s.allowedHostNames.length === 0) missing.push('a Host allow-list (--allow-host NAME, repeatable)');
  if (s.allowedOrigins.length === 0) missing.push('an Origin allow-list (--allow-origin https://NAME, repeatable)');
  if (missing.length === 0) return null;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
  return `refusing to listen on ${s.host}, which is not a loopback address, without ${list}; or leave --host at 127.0.0.1`;
}
