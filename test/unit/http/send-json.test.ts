// sendJson answers exactly what res.json did on the wire: JSON type with
// charset, a Content-Length (never chunked), the status, no body for HEAD.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendJson } from '../../../relay/http/send-json.js';

let server: http.Server;
let base: string;
const body = { value: Array.from({ length: 20 }, (_, i) => ({ Id: i, Caller: `10${i} Anna Ford`, Callee: '+4930123456' })), note: 'grüße' };

beforeAll(async () => {
  const app = express();
  app.get('/x', (_req, res) => sendJson(res, body));
  app.post('/y', (_req, res) => sendJson(res, { made: true }, 202));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('sends JSON with its byte length, not chunked', async () => {
  const r = await fetch(`${base}/x`);
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const text = await r.text();
  expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(text));
  expect(r.headers.get('transfer-encoding')).toBeNull();
  expect(JSON.parse(text)).toEqual(body);
});

it('keeps the status and drops the body for HEAD', async () => {
  expect((await fetch(`${base}/y`, { method: 'POST' })).status).toBe(202);
  const head = await fetch(`${base}/x`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
});
