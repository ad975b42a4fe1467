// What a follower puts on the wire when it forwards, seen by the receiving
// end: an HTTPS server with a self-signed certificate (made with openssl for
// this run) that records each request and answers in the leader's shapes.
// The leader's own answers are covered in leader-proxy.test.ts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { createErrorHandler } from '../../../relay/http/error-handler.js';
import { jsonBody } from '../../../relay/http/json-body.js';
import { FORWARDED_BY_HEADER, leaderProxy, NO_LEADER_MESSAGE } from '../../../relay/team/leader-proxy.js';

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

let dir: string;
let cert: Buffer;
let leader: https.Server;
let leaderUrl: string;
const seen: Seen[] = [];
let firstRowRead: Promise<void> = Promise.resolve();
let leaderCutOff: () => void = () => undefined;

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function follower(ca?: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const logger = createLogger(memorySink());
  const app = express();
  app.use(jsonBody());
  app.use(leaderProxy({ isFollower: () => true, leaderUrl: () => leaderUrl, memberId: 'relay-f', logger, ...(ca ? { ca } : {}) }));
  app.use(createErrorHandler(logger, () => undefined));
  const server = http.createServer(app);
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leader-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  cert = fs.readFileSync(path.join(dir, 'cert.pem'));
  leader = https.createServer({ cert, key: fs.readFileSync(path.join(dir, 'key.pem')) }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/relay/cdr.csv')) {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="x.csv"', connection: 'close' });
        // The first row, then the rest only once the client has read it: a
        // follower that buffered the answer would never let it through.
        res.write('row 0\n');
        res.on('close', () => { if (!res.writableFinished) leaderCutOff(); });
        void firstRowRead.then(() => { if (!res.destroyed) res.end('row 1\nrow 2\n'); });
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ callId: '7' }));
    });
  });
  leaderUrl = `https://127.0.0.1:${await listen(leader)}`;
});

afterAll(async () => {
  leader?.closeAllConnections();
  await new Promise<void>((resolve) => (leader ? leader.close(() => resolve()) : resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('forwarding to an https leader', () => {
  it('sends method, path, query, the JSON body and the credentials, marked as forwarded, and nothing the follower ruled on', async () => {
    const f = await follower(cert);
    try {
      seen.length = 0;
      const r = await fetch(`${f.url}/relay/calls?trace=1&x=%20y`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer rk_000000000000_key', 'x-api-key': 'rk_000000000000_other', 'content-type': 'application/json; charset=utf-8',
          origin: 'https://crm.example.com', cookie: 'a=b',
        },
        body: JSON.stringify({ from: '103', to: '+441234567' }),
      });
      expect(r.status).toBe(202);
      expect(await r.json()).toEqual({ callId: '7' });
      expect(seen).toHaveLength(1);
      const got = seen[0]!;
      expect(got).toMatchObject({ method: 'POST', url: '/relay/calls?trace=1&x=%20y' });
      expect(JSON.parse(got.body)).toEqual({ from: '103', to: '+441234567' });
      expect(got.headers).toMatchObject({
        authorization: 'Bearer rk_000000000000_key', 'x-api-key': 'rk_000000000000_other', 'content-type': 'application/json',
        [FORWARDED_BY_HEADER]: 'relay-f', host: new URL(leaderUrl).host,
      });
      expect(got.headers.origin).toBeUndefined();
      expect(got.headers.cookie).toBeUndefined();
    } finally {
      await f.close();
    }
  });

  it('streams the answer through as it comes: the client reads the first row before the leader has sent the rest', async () => {
    const f = await follower(cert);
    let readFirst!: () => void;
    firstRowRead = new Promise((resolve) => { readFirst = resolve; });
    try {
      const r = await fetch(`${f.url}/relay/cdr.csv?from=a&to=b`, { headers: { authorization: 'Bearer k' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(r.headers.get('content-disposition')).toBe('attachment; filename="x.csv"');
      expect(r.headers.get('connection')).not.toBe('close'); // hop-by-hop: the leader's, not passed on
      const reader = r.body!.getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value!).toString()).toBe('row 0\n');
      readFirst();
      let rest = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        rest += Buffer.from(value).toString();
      }
      expect(rest).toBe('row 1\nrow 2\n');
    } finally {
      await f.close();
    }
  });

  it('a client that hangs up mid-answer cuts the leader\'s answer off too (its export stops)', async () => {
    const f = await follower(cert);
    firstRowRead = new Promise(() => undefined); // the leader never finishes on its own
    const cutOff = new Promise<void>((resolve) => { leaderCutOff = resolve; });
    const abort = new AbortController();
    try {
      const r = await fetch(`${f.url}/relay/cdr.csv?from=a&to=b`, { headers: { authorization: 'Bearer k' }, signal: abort.signal });
      const reader = r.body!.getReader();
      expect(Buffer.from((await reader.read()).value!).toString()).toBe('row 0\n');
      abort.abort();
      await cutOff;
    } finally {
      await f.close();
    }
  });

  it('a leader whose certificate the follower does not trust is unreachable (503), never reached in clear', async () => {
    const f = await follower();
    try {
      seen.length = 0;
      const r = await fetch(`${f.url}/relay/cdr?from=a&to=b`, { headers: { authorization: 'Bearer k' } });
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({ error: NO_LEADER_MESSAGE, code: 'no_leader' });
      expect(seen).toEqual([]);
    } finally {
      await f.close();
    }
  });
});
