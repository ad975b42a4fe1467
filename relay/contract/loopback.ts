// Loopback means "only this machine can reach it": the listen address default,
// and the only hosts a plain-http 3CX URL (a simulator) may point at. One rule
// for the CLI, the relay and the desktop settings form, so it lives in the
// contract and uses no Node API (the renderer shares this folder).

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** `localhost`, any 127.0.0.0/8 address, or ::1 (bare or in brackets, as URL.hostname gives it). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  const v4 = IPV4.exec(h);
  if (v4) return v4[1] === '127';
  return h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** Where keys and session tokens may be sent: https, or plain http only to this machine. */
export function isCredentialSafeUrl(u: URL): boolean {
  return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
}
