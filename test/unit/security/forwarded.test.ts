// Behind --trust-proxy: X-Forwarded-Proto and X-Forwarded-Host count only
// when the TCP peer is a trusted proxy; direct requests are served only where
// they cannot have crossed the network in clear text; HSTS only over https.
import { describe, expect, it } from 'vitest';
import { isTrustedProxy, peerAddress, readArrival } from '../../../relay/http/security/forwarded.js';
import { checkIncomingRequest, type RequestPolicyOptions } from '../../../relay/http/security/request-policy.js';

const req = (remoteAddress: string, headers: Record<string, string>) => ({ headers, socket: { remoteAddress, localPort: 8082 } });
const viaProxy = { 'host': '127.0.0.1:8082', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'relay.example.com' };

describe('peerAddress and isTrustedProxy', () => {
  it('unwraps IPv4-mapped addresses and matches loopback or the listed addresses', () => {
    expect(peerAddress('::ffff:10.0.0.5')).toBe('10.0.0.5');
    expect(peerAddress('::1')).toBe('::1');
    expect(isTrustedProxy('127.0.0.1', { proxies: [] })).toBe(true);
    expect(isTrustedProxy('::1', { proxies: ['loopback'] })).toBe(true);
    expect(isTrustedProxy('10.0.0.5', { proxies: ['loopback'] })).toBe(false);
    expect(isTrustedProxy('10.0.0.5', { proxies: ['10.0.0.5'] })).toBe(true);
    expect(isTrustedProxy('10.0.0.5', { proxies: ['::ffff:10.0.0.5'] })).toBe(true);
    expect(isTrustedProxy('127.0.0.1', { proxies: ['10.0.0.5'] })).toBe(false);
  });
});

describe('readArrival', () => {
  it('without --trust-proxy ignores forwarded headers entirely', () => {
    expect(readArrival(req('10.9.9.9', viaProxy), {})).toEqual({ ok: true, host: '127.0.0.1:8082', secure: false, viaProxy: false });
    expect(readArrival(req('10.9.9.9', viaProxy), { tls: true })).toMatchObject({ host: '127.0.0.1:8082', secure: true });
  });

  it('believes X-Forwarded-Proto/-Host from the trusted proxy (last value of an appended list)', () => {
    const trust = { trustProxy: { proxies: ['10.0.0.5'] } };
    expect(readArrival(req('::ffff:10.0.0.5', viaProxy), trust)).toEqual({ ok: true, host: 'relay.example.com', secure: true, viaProxy: true });
    const appended = { ...viaProxy, 'x-forwarded-host': 'evil.example, relay.example.com', 'x-forwarded-proto': 'http, https' };
    expect(readArrival(req('10.0.0.5', appended), trust)).toMatchObject({ ok: true, host: 'relay.example.com', secure: true });
  });

  it('ignores them from any other peer: a loopback client is served as itself, a network client not at all', () => {
    const trust = { trustProxy: { proxies: ['10.0.0.5'] } };
    expect(readArrival(req('127.0.0.1', viaProxy), trust)).toEqual({ ok: true, host: '127.0.0.1:8082', secure: false, viaProxy: false });
    const stranger = readArrival(req('10.9.9.9', viaProxy), trust);
    expect(stranger).toMatchObject({ ok: false, message: expect.stringMatching(/through its reverse proxy over https/) });
    // With TLS of its own, a direct network client is fine (its leg is encrypted).
    expect(readArrival(req('10.9.9.9', viaProxy), { ...trust, tls: true })).toMatchObject({ ok: true, host: '127.0.0.1:8082', secure: true, viaProxy: false });
  });

  it('refuses what the proxy forwarded over plain http, and a remote proxy that does not say', () => {
    const trust = { trustProxy: { proxies: ['loopback', '10.0.0.5'] } };
    expect(readArrival(req('127.0.0.1', { ...viaProxy, 'x-forwarded-proto': 'http' }), trust)).toMatchObject({ ok: false, message: expect.stringMatching(/https only/) });
    expect(readArrival(req('10.0.0.5', { host: 'x' }), trust)).toMatchObject({ ok: false, message: expect.stringMatching(/X-Forwarded-Proto/) });
    // A local proxy's own health check (no forwarded headers) is a plain local request.
    expect(readArrival(req('127.0.0.1', { host: '127.0.0.1:8082' }), trust)).toEqual({ ok: true, host: '127.0.0.1:8082', secure: false, viaProxy: true });
  });
});

describe('checkIncomingRequest', () => {
  const opts: RequestPolicyOptions = { port: 8082, extraHostNames: ['relay.example.com'], allowedOrigins: ['https://relay.example.com'], trustProxy: { proxies: ['loopback'] } };

  it('checks the forwarded Host against the allow-list, and the Origin', () => {
    expect(checkIncomingRequest(req('127.0.0.1', { ...viaProxy, host: 'internal:8082' }), opts)).toEqual({ ok: true, secure: true });
    expect(checkIncomingRequest(req('127.0.0.1', { ...viaProxy, 'x-forwarded-host': 'evil.example' }), opts)).toMatchObject({ ok: false, message: expect.stringMatching(/Host/) });
    expect(checkIncomingRequest(req('127.0.0.1', { ...viaProxy, origin: 'https://evil.example' }), opts)).toMatchObject({ ok: false, message: expect.stringMatching(/origin/) });
    expect(checkIncomingRequest(req('127.0.0.1', { ...viaProxy, origin: 'https://relay.example.com' }), opts)).toEqual({ ok: true, secure: true });
  });

  it('with TLS of its own, counts its names as https origins and a port-less loopback Host as port 443', () => {
    const tls: RequestPolicyOptions = { port: 443, extraHostNames: ['relay.example.com'], tls: true };
    expect(checkIncomingRequest(req('10.9.9.9', { host: 'relay.example.com', origin: 'https://relay.example.com' }), tls)).toEqual({ ok: true, secure: true });
    expect(checkIncomingRequest(req('10.9.9.9', { host: 'relay.example.com', origin: 'http://relay.example.com' }), tls).ok).toBe(false);
    expect(checkIncomingRequest(req('127.0.0.1', { host: 'localhost' }), tls).ok).toBe(true);
    expect(checkIncomingRequest(req('127.0.0.1', { host: 'localhost' }), { ...tls, tls: false }).ok).toBe(false);
  });
});
