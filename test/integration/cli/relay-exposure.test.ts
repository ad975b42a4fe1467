// A relay reachable beyond loopback (contract §7), as `npm run relay` runs:
// refused without TLS or without allow-lists (one clear line, exit 2), bad
// TLS files refused the same way; with a self-signed certificate it serves
// REST and wss:// with HSTS, refuses a foreign Host or Origin with 403 and
// answers plain http with a 400 saying so; behind --trust-proxy the
// forwarded headers count only from the trusted peer.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.js';
import { makeSelfSignedCert, type TestCert } from '../../support/self-signed-cert.js';

const running: RelayProcess[] = [];
const dirs: string[] = [];
let cert: TestCert;
let other: TestCert;
beforeAll(() => {
  cert = makeSelfSignedCert();
  other = makeSelfSignedCert();
});
afterAll(() => {
  cert.remove();
  other.remove();
});
afterEach(async () => {
  for (const p of running.splice(0)) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-exposure-'));
  dirs.push(d);
  return d;
};
const start = (args: string[], env: Record<string, string> = {}) => {
  const p = spawnRelay(['--port', '0', '--data-dir', tmp(), ...args], env);
  running.push(p);
  return p;
};
const ADMIN_PASSWORD = 'a long admin password';
const lists = ['--allow-host', 'relay.test', '--allow-origin', 'https://relay.test'];
// Passed through by ws to https.request, whose options its typings do not list.
const trustTestCert = () => ({ ca: cert.cert, servername: 'localhost' });

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }
/** One request to the relay at 127.0.0.1 (it listens on 0.0.0.0), trusting the test certificate over https. */
function request(url: string, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const u = new URL(url);
  const secure = u.protocol === 'https:';
  const lib = secure ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request({
      host: '127.0.0.1', port: Number(u.port), method: opts.method ?? 'GET', path: opts.path, headers: opts.headers ?? {},
      ...(secure ? { ca: cert.cert, servername: 'localhost' } : {}),
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const portOf = (url: string) => Number(new URL(url).port);

/** The HTTP status a refused WebSocket upgrade gets (an accepted one fails the test). */
function upgradeStatus(url: string, opts: WebSocket.ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts);
    ws.on('error', () => undefined); // terminate() below reports the aborted handshake as an error
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode!);
      ws.terminate();
    });
    ws.once('open', () => {
      reject(new Error('the upgrade was accepted'));
      ws.close();
    });
  });
}

/** The stderr of a refused start: exactly one line, no stack trace. */
async function refused(args: string[]): Promise<string> {
  const p = start(args);
  const { code } = await p.exited;
  expect(code, args.join(' ')).toBe(2);
  expect(p.stdout()).toBe('');
  const lines = p.stderr().trim().split('\n');
  expect(lines, p.stderr()).toHaveLength(1);
  expect(p.stderr()).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

describe('npm run relay beyond loopback', () => {
  it('refuses a non-loopback host without TLS, and with TLS but no allow-lists, saying what to add', async () => {
    const noTls = await refused(['--host', '0.0.0.0']);
    expect(noTls).toMatch(/^relay: refusing to listen on 0\.0\.0\.0, which is not a loopback address, without TLS \(--tls-cert FILE --tls-key FILE, or --trust-proxy/);
    expect(noTls).toMatch(/--allow-host NAME.*--allow-origin https:\/\/NAME/);
    const noLists = await refused(['--host', '0.0.0.0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile]);
    expect(noLists).toMatch(/^relay: refusing to listen on 0\.0\.0\.0, .* without a Host allow-list \(--allow-host NAME, repeatable\) and an Origin allow-list \(--allow-origin/);
    expect(noLists).not.toMatch(/without TLS/);
  });

  it('refuses bad TLS files with a line naming the flag and the file', async () => {
    const exposed = ['--host', '0.0.0.0', ...lists];
    expect(await refused([...exposed, '--tls-cert', path.join(cert.dir, 'missing.pem'), '--tls-key', cert.keyFile]))
      .toBe(`relay: --tls-cert: cannot read ${path.join(cert.dir, 'missing.pem')}: no such file`);
    const notPem = path.join(tmp(), 'cert.txt');
    fs.writeFileSync(notPem, 'not a certificate');
    expect(await refused([...exposed, '--tls-cert', notPem, '--tls-key', cert.keyFile])).toMatch(/^relay: --tls-cert: .* is not a PEM certificate/);
    expect(await refused([...exposed, '--tls-cert', cert.certFile, '--tls-key', other.keyFile]))
      .toBe(`relay: --tls-key: ${other.keyFile} is not the private key of the certificate in ${cert.certFile}`);
  });

  it('serves https with HSTS and wss://, refuses a foreign Host or Origin with 403, answers plain http with a 400, and stops despite a silent connection', async () => {
    const p = start(['--host', '0.0.0.0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile, ...lists], { RELAY_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const url = await p.listening;
    expect(url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
    expect(p.stdout().split('\n')[0]).toBe(`relay listening on ${url}`);
    expect(p.stdout().split('\n')[1]).toMatch(/^relay exposure: TLS \(certificate CN=localhost, valid until [\d-]+\); hosts: relay\.test; origins: https:\/\/relay\.test$/);
    const port = portOf(url);

    const health = await request(url, { path: '/relay/health' });
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(JSON.parse(health.body)).toMatchObject({ status: expect.any(String) });
    // The allow-listed name, with the browser's own origin.
    expect((await request(url, { path: '/relay/health', headers: { host: `relay.test:${port}`, origin: 'https://relay.test' } })).status).toBe(200);
    const foreignHost = await request(url, { path: '/relay/health', headers: { host: `evil.example:${port}` } });
    expect(foreignHost.status).toBe(403);
    expect(JSON.parse(foreignHost.body)).toMatchObject({ code: 'forbidden' });
    expect((await request(url, { path: '/relay/health', headers: { origin: 'https://evil.example' } })).status).toBe(403);
    // The relay's https origin is its own; the same name over http is not.
    expect((await request(url, { path: '/relay/health', headers: { origin: `http://relay.test:${port}` } })).status).toBe(403);

    // Plain http to the TLS port: a 400 saying so, nothing served, and the relay carries on.
    const plain = await request(url.replace('https:', 'http:'), { path: '/relay/health' });
    expect(plain.status).toBe(400);
    expect(JSON.parse(plain.body)).toEqual({ error: expect.stringMatching(/https only/), code: 'https_required' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect((await request(url, { path: '/relay/health' })).status).toBe(200);

    // wss:// with an API key: the upgrade works over TLS.
    const login = await request(url, { method: 'POST', path: '/admin/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    const { token } = JSON.parse(login.body) as { token: string };
    const created = await request(url, {
      method: 'POST', path: '/admin/api-keys', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientName: 'tls-test', permissions: ['read'] }),
    });
    expect(created.status).toBe(201);
    const { apiKey } = JSON.parse(created.body) as { apiKey: string };
    const wsUrl = `wss://127.0.0.1:${port}/relay/ws`;
    const hello = await new Promise<{ type: string }>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { ...trustTestCert(), headers: { authorization: `Bearer ${apiKey}` } });
      ws.once('message', (d) => {
        resolve(JSON.parse(String(d)) as { type: string });
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(hello.type).toBe('hello');
    // The same Origin rule on the upgrade.
    expect(await upgradeStatus(wsUrl, { ...trustTestCert(), headers: { authorization: `Bearer ${apiKey}`, origin: 'https://evil.example' } })).toBe(403);

    // A connection that never starts its handshake does not hold the stop.
    const silent = net.connect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    const t0 = Date.now();
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5_000);
    silent.destroy();
    expect(p.stderr()).not.toMatch(/\n\s+at /);
  });

  it('behind --trust-proxy believes X-Forwarded-Proto/-Host from the trusted peer only', async () => {
    const trusted = start(['--host', '0.0.0.0', '--trust-proxy', ...lists]);
    const elsewhere = start(['--host', '0.0.0.0', '--trust-proxy', '--proxy-address', '192.0.2.10', ...lists]);
    const [url, otherUrl] = await Promise.all([trusted.listening, elsewhere.listening]);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(trusted.stdout()).toContain('relay exposure: behind a reverse proxy that terminates TLS (X-Forwarded-Proto and X-Forwarded-Host believed only from loopback); hosts: relay.test; origins: https://relay.test');
    const forwarded = { 'host': 'backend.internal:8082', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'relay.test', 'origin': 'https://relay.test' };

    // From the proxy (loopback here): the forwarded name is checked, HSTS is sent.
    const ok = await request(url, { path: '/relay/health', headers: forwarded });
    expect(ok.status).toBe(200);
    expect(ok.headers['strict-transport-security']).toBe('max-age=31536000');
    expect((await request(url, { path: '/relay/health', headers: { ...forwarded, 'x-forwarded-host': 'evil.example' } })).status).toBe(403);
    expect((await request(url, { path: '/relay/health', headers: { ...forwarded, origin: 'https://evil.example' } })).status).toBe(403);
    const plain = await request(url, { path: '/relay/health', headers: { ...forwarded, 'x-forwarded-proto': 'http' } });
    expect(plain.status).toBe(403);
    expect(JSON.parse(plain.body)).toMatchObject({ code: 'forbidden', error: expect.stringMatching(/https only/) });
    // The same decision on the WebSocket upgrade.
    expect(await upgradeStatus(`ws://127.0.0.1:${portOf(url)}/relay/ws`, { headers: { ...forwarded, 'x-forwarded-host': 'evil.example' } })).toBe(403);

    // Not from the configured proxy: the headers are ignored, so the backend name is refused and no HSTS is claimed.
    expect((await request(otherUrl, { path: '/relay/health', headers: forwarded })).status).toBe(403);
    const direct = await request(otherUrl, { path: '/relay/health', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'relay.test' } });
    expect(direct.status).toBe(200);
    expect(direct.headers['strict-transport-security']).toBeUndefined();
  });
});
