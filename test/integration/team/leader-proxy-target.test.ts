// The follower's hand-over goes to the leader and nowhere else, whatever the
// request line says. HTTP/1.1 allows an absolute-form target
// (`GET http://other-host/relay/cdr HTTP/1.1`); Node passes it through as
// req.url, and express still routes it by its path. Resolving that target
// against the leader's URL would send the request (with the caller's
// credentials, before anyone checked them) to a host of the caller's choice:
// a server-side request forgery open to anyone who reaches a follower.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { createErrorHandler } from '../../../relay/http/error-handler.js';
import { jsonBody } from '../../../relay/http/json-body.js';
import { leaderProxy } from '../../../relay/team/leader-proxy.js';

const servers: http.Server[] = [];
const hits: Record<'leader' | 'other', string[]> = { leader: [], other: [] };

async function recording(name: 'leader' | 'other'): Promise<number> {
  const server = http.createServer((req, res) => {
    hits[name].push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ from: name }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

let followerPort = 0;
let otherPort = 0;

beforeAll(async () => {
  const leaderPort = await recording('leader');
  otherPort = await recording('other');
  const logger = createLogger(memorySink());
  const app = express();
  app.use(jsonBody());
  app.use(leaderProxy({ isFollower: () => true, leaderUrl: () => `http://127.0.0.1:${leaderPort}`, memberId: 'relay-f', logger }));
  app.use(createErrorHandler(logger, () => undefined));
  const follower = http.createServer(app);
  servers.push(follower);
  await new Promise<void>((resolve) => follower.listen(0, '127.0.0.1', resolve));
  followerPort = (follower.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** Sends one raw request line (express would never build an absolute-form one) and reads the status line. */
function raw(target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(followerPort, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${followerPort}\r\nX-API-Key: k\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

it('sends an absolute-form request to the leader, never to the host it names', async () => {
  const answer = await raw(`http://127.0.0.1:${otherPort}/relay/cdr?from=x`);
  expect(hits.other).toEqual([]);
  expect(hits.leader).toEqual(['/relay/cdr?from=x']);
  expect(answer).toContain('"from":"leader"');
});

it('a path that looks like a network-path reference stays on the leader too', async () => {
  hits.leader.length = 0;
  hits.other.length = 0;
  await raw(`//127.0.0.1:${otherPort}/relay/cdr`);
  expect(hits.other).toEqual([]);
});
