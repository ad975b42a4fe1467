// The request log records integration traffic under the path the client
// asked for (no query string: keys and filters stay out of the audit), and
// skips unauthenticated status polls.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../relay/http/http-deps.js';
import { setApiKey } from '../../../relay/http/locals.js';
import { requestLogger } from '../../../relay/http/request-log.js';

const entries: RequestLogEntry[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use('/relay', requestLogger({ record: (e) => entries.push(e) }, () => Date.parse('2026-11-25T10:00:00Z')));
  app.get('/relay/active-calls', (_req, res) => {
    setApiKey(res, { id: 'k1', clientName: 'crm', permissions: ['read'] });
    res.json({ value: [] });
  });
  app.get('/relay/health', (_req, res) => void res.json({ ok: true }));
  app.get('/relay/cdr', (_req, res) => void res.status(401).json({ error: 'no key', code: 'unauthorized' }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('logs keyed and refused requests by path, without the query, and skips health polls', async () => {
  await fetch(`${base}/relay/active-calls?x=1`);
  await fetch(`${base}/relay/health`);
  await fetch(`${base}/relay/cdr?from=2026-01-01&to=2026-02-01`);
  await expect.poll(() => entries.length).toBe(2);
  expect(entries).toEqual([
    expect.objectContaining({ keyId: 'k1', method: 'GET', path: '/relay/active-calls', status: 200, at: Date.parse('2026-11-25T10:00:00Z') }),
    expect.objectContaining({ keyId: null, method: 'GET', path: '/relay/cdr', status: 401 }),
  ]);
  expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0);
});
