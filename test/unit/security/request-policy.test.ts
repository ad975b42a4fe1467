import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKeyInQuery, readApiKey } from '../../../relay/http/security/api-key-header.js';
import {
  checkRequestPolicy, isAllowedHost, isAllowedOrigin, normalizeOrigin, ownOrigins, parseHost, requestPolicyMiddleware,
} from '../../../relay/http/security/request-policy.js';

describe('isAllowedHost', () => {
  const rule = { port: 8082, extraNames: ['relay.office.lan', 'proxy.example.com:443'] };
  it.each([
    ['127.0.0.1:8082', true],
    ['localhost:8082', true],
    ['LOCALHOST:8082', true],
    ['[::1]:8082', true],
    ['localhost.:8082', true],
    ['127.0.0.1:8083', false],
    ['localhost', false], // port 80 implied, we listen on 8082
    ['evil.example:8082', false], // DNS rebinding: attacker's name pointing at 127.0.0.1
    ['localhost.evil.example:8082', false],
    ['127.0.0.1.nip.io:8082', false],
    ['127.0.0.2:8082', false],
    ['0.0.0.0:8082', false],
    ['[::ffff:127.0.0.1]:8082', false],
    ['relay.office.lan:8082', true],
    ['relay.office.lan', true], // configured name behind a proxy on the default port
    ['relay.office.lan:9999', false],
    ['proxy.example.com:443', true],
    ['proxy.example.com:8082', false],
    ['user@localhost:8082', false],
    ['localhost:8082/path', false],
    ['localhost:99999', false],
    ['', false],
    [undefined, false],
  ])('Host %j -> %s', (host, ok) => {
    expect(isAllowedHost(host, rule)).toBe(ok);
  });

  it('accepts a loopback name without a port only when the relay listens on 80', () => {
    expect(isAllowedHost('localhost', { port: 80 })).toBe(true);
  });
});

describe('isAllowedOrigin', () => {
  const rule = { ownOrigins: ownOrigins(8082), allowList: ['https://crm.example.com', 'app://relay'] };
  it.each([
    [undefined, true], // not a browser
    ['http://127.0.0.1:8082', true],
    ['http://localhost:8082', true],
    ['http://[::1]:8082', true],
    ['HTTP://LOCALHOST:8082', true],
    ['https://crm.example.com', true],
    ['https://crm.example.com:443', true],
    ['app://relay', true],
    ['http://localhost:3000', false],
    ['https://localhost:8082', false],
    ['https://evil.example', false],
    ['https://crm.example.com.evil.example', false],
    ['http://crm.example.com', false],
    ['null', false], // sandboxed iframe, file://
    ['', false],
    ['not a url', false],
  ])('Origin %j -> %s', (origin, ok) => {
    expect(isAllowedOrigin(origin, rule)).toBe(ok);
  });
});

describe('helpers', () => {
  it('parseHost splits names, IPv6 and ports', () => {
    expect(parseHost('[::1]:80')).toEqual({ hostname: '[::1]', port: 80 });
    expect(parseHost('Example.COM')).toEqual({ hostname: 'example.com', port: null });
    expect(parseHost('a b')).toBeNull();
  });
  it('normalizeOrigin drops default ports and lower-cases', () => {
    expect(normalizeOrigin('HTTPS://Crm.Example.com:443')).toBe('https://crm.example.com');
    expect(normalizeOrigin('app://Relay')).toBe('app://relay');
    expect(normalizeOrigin('null')).toBeNull();
  });
  it('ownOrigins covers the loopback names and configured names on our port', () => {
    expect(ownOrigins(9000, ['relay.lan'])).toEqual(['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000', 'http://relay.lan:9000']);
  });
  it('checkRequestPolicy uses the arrival port unless one is configured', () => {
    expect(checkRequestPolicy({ host: 'localhost:5000' }, 5000, {}).ok).toBe(true);
    expect(checkRequestPolicy({ host: 'localhost:5000' }, 5000, { port: 6000 }).ok).toBe(false);
    expect(checkRequestPolicy({ host: 'localhost:6000' }, 5000, { port: () => 6000 }).ok).toBe(true);
    expect(checkRequestPolicy({ host: 'localhost:5000' }, undefined, {}).ok).toBe(false);
    const foreign = checkRequestPolicy({ host: 'localhost:5000', origin: 'https://evil.example' }, 5000, {});
    expect(foreign).toMatchObject({ ok: false, message: expect.stringMatching(/origin/) });
  });
  it('readApiKey takes Bearer or X-API-Key, nothing else', () => {
    expect(readApiKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(readApiKey({ authorization: 'bearer  abc ' })).toBe('abc');
    expect(readApiKey({ 'x-api-key': ' k ' })).toBe('k');
    expect(readApiKey({ authorization: 'Basic dXNlcjpwYXNz' })).toBeNull();
    expect(readApiKey({})).toBeNull();
  });
  it('hasKeyInQuery spots key-like parameters whatever their case', () => {
    expect(hasKeyInQuery(new URLSearchParams('since=3&apiKey=x'))).toBe(true);
    expect(hasKeyInQuery(new URLSearchParams('KEY=x'))).toBe(true);
    expect(hasKeyInQuery(new URLSearchParams('ticket=t&since=1'))).toBe(false);
  });
});

describe('requestPolicyMiddleware on a real express server', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    const app = express();
    app.use(requestPolicyMiddleware({ allowedOrigins: ['https://crm.example.com'] }));
    app.get('/ping', (_req, res) => void res.json({ ok: true }));
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const get = (headers: Record<string, string>) => new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/ping', headers }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }));
    });
    req.on('error', reject);
  });

  it('lets loopback and allowed origins through', async () => {
    expect((await get({})).status).toBe(200);
    expect((await get({ origin: `http://localhost:${port}`, host: `localhost:${port}` })).status).toBe(200);
    expect((await get({ origin: 'https://crm.example.com' })).status).toBe(200);
  });

  it('answers 403 {error, code: forbidden} for a foreign Host or Origin', async () => {
    const host = await get({ host: `evil.example:${port}` });
    expect(host.status).toBe(403);
    expect(host.body).toMatchObject({ code: 'forbidden', error: expect.any(String) });
    const origin = await get({ origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    expect(origin.body).toMatchObject({ code: 'forbidden' });
  });
});
