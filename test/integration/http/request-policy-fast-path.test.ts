// The request-policy middleware accepts the usual loopback Host values from
// a per-port set before its full parse; over a real socket, every Host/Origin
// must still get exactly the answer checkRequestPolicy gives, also after the
// port changes (a relay rebinding to another port).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestPolicy, requestPolicyMiddleware } from '../../../relay/http/security/request-policy.js';

let server: http.Server;
let port: number;
let policyPort = 0;
const opts = { port: () => policyPort, extraHostNames: ['relay.lan'] };

beforeAll(async () => {
  const app = express();
  app.use(requestPolicyMiddleware(opts));
  app.get('/x', (_req, res) => {
    res.json({ ok: true });
  });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  policyPort = port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function statusFor(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/x', headers, setHost: false, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const hostsFor = (p: number) => [
  `127.0.0.1:${p}`, `localhost:${p}`, `[::1]:${p}`, `LOCALHOST:${p}`, `localhost.:${p}`, `127.0.0.1:0${p}`,
  '127.0.0.1', 'localhost', '127.0.0.1:1', `evil.example:${p}`, 'relay.lan', `relay.lan:${p}`, ` 127.0.0.1:${p}`, '',
];
const origins = [undefined, 'http://127.0.0.1:1', 'https://evil.example', 'null'];

describe('request policy fast path', () => {
  it('answers every Host/Origin exactly as the full check does', async () => {
    let accepted = 0;
    for (const host of hostsFor(port)) {
      for (const o of [...origins, `http://localhost:${port}`]) {
        const headers: Record<string, string> = { host };
        if (o !== undefined) headers.origin = o;
        const expected = checkRequestPolicy({ host: host || undefined, origin: o }, port, opts).ok ? 200 : 403;
        if (expected === 200) accepted++;
        expect({ host, origin: o, status: await statusFor(headers) }).toEqual({ host, origin: o, status: expected });
      }
    }
    expect(accepted).toBeGreaterThan(5); // the loopback names really took the fast path
  });

  it('follows a change of port: the old loopback Host is refused, the new one served', async () => {
    expect(await statusFor({ host: `127.0.0.1:${port}` })).toBe(200);
    policyPort = port + 1;
    try {
      expect(await statusFor({ host: `127.0.0.1:${port}` })).toBe(403);
      expect(await statusFor({ host: `127.0.0.1:${port + 1}` })).toBe(200);
    } finally {
      policyPort = port;
    }
    expect(await statusFor({ host: `localhost:${port}` })).toBe(200);
  });
});
