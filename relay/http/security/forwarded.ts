// Behind a reverse proxy that terminates TLS (--trust-proxy), the relay sees
// the proxy's plain-http connection: how the client really came (https?) and
// which name it asked for are in X-Forwarded-Proto and X-Forwarded-Host.
// Anyone can send those headers, so they are believed only when the TCP peer
// is a trusted proxy address. X-Forwarded-For is not read: no decision of
// the relay depends on the client's address (sign-in throttling is per
// account, contract §4), so there is nothing for a forged one to fool.
import { isLoopbackHost } from '../../contract/loopback.js';
import { LOOPBACK_PROXY, type ProxyTrust } from './listen-security.js';

/** The parts of a request (express or a raw upgrade) the decision reads. */
export interface IncomingLike {
  headers: Readonly<Record<string, string | string[] | undefined>>;
  socket: { remoteAddress?: string | undefined; localPort?: number | undefined };
}

export type Arrival =
  | { ok: true; host: string | undefined; secure: boolean; viaProxy: boolean }
  | { ok: false; message: string };

/** IPv4 peers on a dual-stack socket appear as ::ffff:a.b.c.d. */
export function peerAddress(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const a = raw.toLowerCase();
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}

export function isTrustedProxy(peer: string, trust: ProxyTrust): boolean {
  const proxies = trust.proxies.length > 0 ? trust.proxies : [LOOPBACK_PROXY];
  return proxies.some((p) => (p === LOOPBACK_PROXY ? isLoopbackHost(peer) : peerAddress(p) === peer));
}

/**
 * The last value of a header a proxy may have appended to (`a, b`): a proxy
 * set up to append adds its own value at the end, so anything before it came
 * from the client.
 */
function lastValue(h: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(h) ? h.join(',') : h;
  const parts = (joined ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return parts.at(-1);
}

export function readArrival(req: IncomingLike, opts: { tls?: boolean | undefined; trustProxy?: ProxyTrust | undefined }): Arrival {
  const secureSocket = opts.tls === true;
  // Node keeps one Host (duplicates are dropped), so it is read as is: this runs on every request.
  const host = typeof req.headers.host === 'string' ? req.headers.host : undefined;
  if (!opts.trustProxy) return { ok: true, host, secure: secureSocket, viaProxy: false };
  const peer = peerAddress(req.socket.remoteAddress);
  const local = peer !== undefined && isLoopbackHost(peer);
  if (peer === undefined || !isTrustedProxy(peer, opts.trustProxy)) {
    // Forwarded headers from anyone else are ignored. A direct request is
    // served only where it cannot have crossed the network in clear text.
    if (secureSocket || local) return { ok: true, host, secure: secureSocket, viaProxy: false };
    return { ok: false, message: 'this relay is reached through its reverse proxy over https; connect to the proxy\'s address instead' };
  }
  const proto = lastValue(req.headers['x-forwarded-proto'])?.toLowerCase();
  if (proto !== undefined && proto !== 'https') {
    return { ok: false, message: 'this relay is served over https only: the reverse proxy forwarded a plain-http request (redirect http to https at the proxy)' };
  }
  if (proto === undefined && !secureSocket && !local) {
    return { ok: false, message: 'the reverse proxy did not send X-Forwarded-Proto: https; configure it to set the header' };
  }
  const forwardedHost = lastValue(req.headers['x-forwarded-host']);
  return { ok: true, host: forwardedHost ?? host, secure: secureSocket || proto === 'https', viaProxy: true };
}
