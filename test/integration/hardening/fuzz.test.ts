// Fuzz: property-based requests (fast-check) at every REST route and at the
// WebSocket endpoint — fuzzed paths and path parameters, query strings,
// bodies, headers (credentials, Content-Type, Host, Origin), WebSocket URLs
// and the frames a client sends. Whatever arrives, the relay must answer
// without a 500, without a stack trace or file path, without any secret it
// knows (3CX client secret, database password, API keys, admin password),
// with the contract's {error, code} body on every 4xx, and must log no
// unexpected failure in the error feed. Runs are bounded (numRuns) to keep
// the file well under a minute.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ROUTE_IDS, ROUTES as TABLE, type RouteAuth, type RouteId, type RouteSpec } from '../../../relay/contract/routes.js';
import { testPostgres } from '../../support/test-postgres.js';
import { rawRequest, type RawResponse } from './support/raw-http.js';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../support/relay-harness.js';

const STACK_TRACE = /\n\s+at |\bat [\w$.<>[\] ]+ \([^)]*:\d+:\d+\)|node_modules|\/work\/|[\w-]+\.(ts|js|mjs):\d+/;

type Auth = 'none' | 'read' | 'control' | 'read-x-api-key' | 'admin' | 'garbage' | 'basic' | 'key-shaped';
type Pairs = [string, string][];

const nasty = fc.constantFrom(
  '', ' ', '..', '../../etc/passwd', '%00', '%', '%zz', '\u0000', '\uFFFF', '😀', "' OR 1=1 --", '1; DROP TABLE api_keys',
  '<script>alert(1)</script>', '{{7*7}}', '${jndi:ldap://x}', 'NaN', 'Infinity', '-1', '0', '1e309', '9'.repeat(40),
  'true', 'null', '[]', '{}', '__proto__', 'constructor', 'prototype', 'xapi', 'callcontrol', 'database',
  '2026-11-01', '2026-11-01T00:00:00Z', '2020-01-01T00:00:00+14:00', '1970-01-01', '9999-12-31T23:59:59Z', '2026-02-30',
);
const weird = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.integer().map(String), fc.double().map(String));
/** Mostly plausible, sometimes weird: requests must get past validation often enough to reach the handlers. */
const sometimesWeird = <T>(plausible: fc.Arbitrary<T>) => fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: weird, weight: 1 });
const isoDate = fc.date({ min: new Date('2025-06-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const range: fc.Arbitrary<Pairs> = fc.tuple(isoDate, fc.integer({ min: -2, max: 400 })).map(([from, days]) =>
  [['from', from], ['to', new Date(Date.parse(from) + days * 86_400_000).toISOString()]]);
const cdrQuery: fc.Arbitrary<Pairs> = fc.tuple(range, fc.option(sometimesWeird(fc.integer({ min: 0, max: 1001 }).map(String))), fc.option(sometimesWeird(fc.base64String({ maxLength: 40 }))))
  .map(([r, limit, cursor]) => [...r, ...(limit !== null ? [['limit', limit] as [string, string]] : []), ...(cursor !== null ? [['cursor', cursor] as [string, string]] : [])]);
const errorsQuery: fc.Arbitrary<Pairs> = fc.record({
  component: sometimesWeird(fc.constantFrom('xapi', 'callcontrol', 'database', 'relay', 'store', 'api')),
  severity: sometimesWeird(fc.constantFrom('info', 'warning', 'error', 'critical')),
  acknowledged: sometimesWeird(fc.constantFrom('true', 'false')),
  limit: sometimesWeird(fc.integer({ min: 0, max: 600 }).map(String)),
  before: sometimesWeird(fc.integer({ min: -1, max: 1000 }).map(String)),
}, { requiredKeys: [] }).map((o) => Object.entries(o));
const extension = fc.integer({ min: 100, max: 130 }).map(String);
const userName = fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}$/).filter((u) => u !== 'admin');
const json = (a: fc.Arbitrary<unknown>) => a.map((v) => JSON.stringify(v));

interface Route {
  method: string;
  path: (p: string) => string;
  /** The credential this route is meant for. */
  auth: Auth;
  param?: fc.Arbitrary<string>;
  query?: fc.Arbitrary<Pairs>;
  body?: fc.Arbitrary<string>;
}

/** Plausible input for the routes that take some (the rest is fuzzed the same way for all). */
const FUZZ_INPUT: Partial<Record<RouteId, Pick<Route, 'param' | 'query' | 'body'>>> = {
  relayDropCall: { param: sometimesWeird(fc.nat(60).map(String)) },
  relayMakeCall: { body: json(fc.record({ from: sometimesWeird(extension), to: sometimesWeird(fc.stringMatching(/^\+?[0-9]{3,15}$/)) }, { requiredKeys: [] })) },
  relayCdrPage: { query: cdrQuery },
  relayCdrCsv: { query: range },
  login: { body: json(fc.record({ username: sometimesWeird(userName), password: weird }, { requiredKeys: [] })) },
  reconnect: { param: sometimesWeird(fc.constantFrom('xapi', 'callcontrol', 'database')) },
  listErrors: { query: errorsQuery },
  acknowledgeError: { param: sometimesWeird(fc.nat(30).map(String)) },
  createApiKey: { body: json(fc.record({ clientName: sometimesWeird(fc.string({ minLength: 1, maxLength: 30 })), permissions: sometimesWeird(fc.subarray(['read', 'control'])) }, { requiredKeys: [] })) },
  revokeApiKey: { param: sometimesWeird(fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/)) },
  createUser: { body: json(fc.record({ username: sometimesWeird(userName), password: sometimesWeird(fc.string({ minLength: 10, maxLength: 30 })), role: sometimesWeird(fc.constantFrom('admin', 'viewer')) }, { requiredKeys: [] })) },
  removeUser: { param: sometimesWeird(fc.oneof(userName, fc.constantFrom('admin', 'fuzz-viewer'))) },
  setPassword: { param: sometimesWeird(fc.oneof(userName, fc.constantFrom('fuzz-viewer', 'fuzz-admin'))), body: json(fc.record({ password: sometimesWeird(fc.string({ minLength: 10, maxLength: 30 })), currentPassword: weird }, { requiredKeys: [] })) },
  dropCall: { param: sometimesWeird(fc.nat(60).map(String)) },
  cdrPage: { query: cdrQuery },
  cdrCsv: { query: range },
};
const authOf = (a: RouteAuth): Auth => (a.kind === 'none' ? 'none' : a.kind === 'admin' ? 'admin' : a.permission);

// Every route of the table, and paths that match none.
const ROUTES: Route[] = [
  ...ROUTE_IDS.map((id): Route => {
    const spec: RouteSpec = TABLE[id];
    return { method: spec.method, path: (p) => spec.path.replace(/:\w+/g, p), auth: authOf(spec.auth), ...FUZZ_INPUT[id] };
  }),
  { method: 'GET', path: (p) => `/${p}`, auth: 'none' },
  { method: 'GET', path: (p) => `/relay/${p}`, auth: 'read' },
  { method: 'GET', path: (p) => `/admin/${p}`, auth: 'admin' },
];
const QUERY_KEYS = ['from', 'to', 'limit', 'cursor', 'since', 'ticket', 'component', 'severity', 'acknowledged', 'before', 'key', 'api_key', 'apiKey', 'token'];
const enc = (s: string) => encodeURIComponent(s);

describe('fuzz: every REST route and the WebSocket endpoint', () => {
  let stack: Harness;
  let port: string;

  beforeAll(async () => {
    stack = await startHarness({ cdr: { url: testPostgres().cdrReadonlyUrl }, sim: { callsPerMinute: 60, timeScale: 0.05 }, redactLogs: false });
    port = new URL(stack.url).port;
  });
  afterAll(async () => {
    await stack?.close();
  });

  const authHeader = (a: Auth, token: string): Record<string, string> => ({
    none: {},
    read: { authorization: `Bearer ${stack.keys.read}` },
    control: { authorization: `Bearer ${stack.keys.control}` },
    'read-x-api-key': { 'x-api-key': stack.keys.read },
    admin: { authorization: `Bearer ${token}` },
    garbage: { authorization: 'Bearer not-a-key' },
    basic: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` },
    // Right shape, wrong secret: the id part of a real key with other bytes.
    'key-shaped': { authorization: `Bearer ${stack.keys.read.slice(0, -6)}AAAAAA` },
  })[a];

  /** A fresh admin session, for requests that may end the one they use (logout, own password). */
  const freshAdminToken = async (): Promise<string> => {
    const res = await rawRequest(stack.url, {
      method: 'POST', path: '/admin/login', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    return (JSON.parse(res.body) as { token: string }).token;
  };

  function checkAnswer(what: string, res: RawResponse, secrets: readonly string[]): void {
    expect(res.status, `${what}: status`).not.toBe(500);
    expect(res.status < 500 || [502, 503, 504].includes(res.status), `${what}: status ${res.status}`).toBe(true);
    const type = String(res.headers['content-type'] ?? '');
    const everything = `${JSON.stringify(res.headers)}\n${res.body}`;
    for (const s of secrets) expect(everything.includes(s), `${what}: answer contains a secret`).toBe(false);
    if (type.includes('json') || type.includes('text/plain')) expect(STACK_TRACE.test(res.body), `${what}: stack trace or path in ${res.body.slice(0, 300)}`).toBe(false);
    if (res.status >= 400 && type.includes('json') && res.body !== '') { // HEAD answers carry no body
      const body = JSON.parse(res.body) as { error?: unknown; code?: unknown };
      expect(typeof body.error === 'string' && typeof body.code === 'string', `${what}: {error, code} body, got ${res.body.slice(0, 200)}`).toBe(true);
      expect(body.code as string, `${what}: snake_case code`).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  }

  it('REST: no 500, no stack trace, no secret, contract error bodies', async () => {
    // Secrets may be sent back to the relay in queries and bodies; it must not echo them.
    const secretValue = fc.constantFrom(...stack.secrets);
    // Users the password route can act on (never `admin`: its password is what the test signs in with).
    for (const name of ['fuzz-viewer', 'fuzz-admin']) await stack.service.admin.createUser(name, 'fuzz-user-password', name === 'fuzz-admin' ? 'admin' : 'viewer');
    const request = fc.constantFrom(...ROUTES).chain((route) => fc.record({
      route: fc.constant(route),
      method: fc.option(fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD'), { freq: 8 }),
      param: route.param ?? weird,
      query: fc.oneof(
        { arbitrary: route.query ?? fc.constant<Pairs>([]), weight: 3 },
        { arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), weird), fc.oneof(weird, secretValue)), { maxLength: 6 }), weight: 1 },
      ),
      auth: fc.oneof(
        { arbitrary: fc.constant(route.auth), weight: 6 },
        { arbitrary: fc.constantFrom<Auth>('none', 'read', 'control', 'read-x-api-key', 'admin', 'garbage', 'basic', 'key-shaped'), weight: 2 },
      ),
      contentType: fc.oneof(
        { arbitrary: fc.constant('application/json'), weight: 6 },
        { arbitrary: fc.constantFrom('application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined), weight: 1 },
      ),
      body: fc.oneof(
        { arbitrary: route.body ?? fc.constant(undefined), weight: 4 },
        { arbitrary: fc.constant(undefined), weight: 1 },
        { arbitrary: json(fc.jsonValue({ maxDepth: 3 })), weight: 1 },
        { arbitrary: json(fc.dictionary(weird, fc.oneof(weird, secretValue), { maxKeys: 4 })), weight: 1 },
        { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
      ),
      origin: fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 6 },
        { arbitrary: fc.constantFrom('self', 'http://evil.example', 'null'), weight: 1 },
      ),
      host: fc.oneof(
        { arbitrary: fc.constant('self'), weight: 8 },
        { arbitrary: fc.constantFrom('evil.example', 'localhost', '[::1]', ''), weight: 1 },
      ),
    }));
    await fc.assert(fc.asyncProperty(request, async (r) => {
      const method = r.method ?? r.route.method;
      let path = r.route.path(enc(r.param));
      if (r.query.length > 0) path += `?${r.query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}`;
      const endsSession = path.startsWith('/admin/logout') || path.startsWith('/admin/users/');
      const token = r.auth === 'admin' && endsSession ? await freshAdminToken() : stack.adminToken;
      const headers: Record<string, string> = { ...authHeader(r.auth, token) };
      headers.host = r.host === 'self' ? `127.0.0.1:${port}` : r.host === '' ? '' : `${r.host}:${port}`;
      if (r.origin) headers.origin = r.origin === 'self' ? stack.url : r.origin;
      if (r.contentType) headers['content-type'] = r.contentType;
      const canHaveBody = !['GET', 'HEAD'].includes(method);
      const res = await rawRequest(stack.url, { method, path, headers, ...(canHaveBody && r.body !== undefined ? { body: r.body } : {}) });
      checkAnswer(`${method} ${path}`, res, stack.secrets);
    }), { numRuns: 1500 });

    // Bodies past the limit, once per method that takes one.
    const big = JSON.stringify({ clientName: 'x'.repeat(2 * 1024 * 1024), permissions: ['read'] });
    for (const path of ['/admin/api-keys', '/relay/calls', '/admin/login']) {
      const res = await rawRequest(stack.url, { method: 'POST', path, headers: { authorization: `Bearer ${path.startsWith('/admin') ? stack.adminToken : stack.keys.control}`, 'content-type': 'application/json' }, body: big });
      checkAnswer(`POST ${path} (2 MiB)`, res, stack.secrets);
      expect(res.status).toBe(413);
    }
  }, 120_000);

  it('WebSocket: fuzzed upgrade URLs, headers and client frames', async () => {
    const wsBase = stack.url.replace(/^http/, 'ws');
    const upgrade = fc.record({
      path: fc.constantFrom('/relay/ws', '/relay/ws', '/relay/ws', '/relay/ws/', '/relay/wsx', '/relay/ws/../ws', '/admin/ws'),
      query: fc.array(fc.tuple(fc.oneof(fc.constantFrom('since', 'ticket', 'key', 'apiKey', 'token'), weird), fc.oneof(weird, fc.nat().map(String), fc.constant(stack.keys.read))), { maxLength: 3 }),
      auth: fc.constantFrom<Auth>('none', 'read', 'read', 'read', 'control', 'read-x-api-key', 'garbage', 'key-shaped', 'admin'),
      ticket: fc.boolean(),
      origin: fc.constantFrom(undefined, undefined, 'self', 'http://evil.example'),
      host: fc.constantFrom('self', 'self', 'evil.example'),
      frames: fc.array(fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
        fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
        fc.constant('x'.repeat(64 * 1024)),
        fc.constant(JSON.stringify({ type: 'subscribe', since: -1 })),
      ), { maxLength: 4 }),
    });
    await fc.assert(fc.asyncProperty(upgrade, async (u) => {
      let query = u.query.map(([k, v]) => `${enc(k)}=${enc(v)}`);
      if (u.ticket) {
        const t = await rawRequest(stack.url, { method: 'POST', path: '/relay/ws-ticket', headers: { authorization: `Bearer ${stack.keys.read}` } });
        query = [...query, `ticket=${enc((JSON.parse(t.body) as { ticket: string }).ticket)}`];
      }
      const url = `${wsBase}${u.path}${query.length > 0 ? `?${query.join('&')}` : ''}`;
      const headers: Record<string, string> = { ...authHeader(u.auth, stack.adminToken) };
      headers.host = u.host === 'self' ? `127.0.0.1:${port}` : `${u.host}:${port}`;
      if (u.origin) headers.origin = u.origin === 'self' ? stack.url : u.origin;
      const outcome = await new Promise<{ kind: 'refused'; res: RawResponse } | { kind: 'open'; frames: string[]; closeCode: number | null }>((resolve, reject) => {
        const ws = new WebSocket(url, { headers, perMessageDeflate: false });
        const frames: string[] = [];
        let closeCode: number | null = null;
        ws.on('unexpected-response', (_req, res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ kind: 'refused', res: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') } }));
        });
        ws.on('message', (d: Buffer) => frames.push(d.toString('utf8')));
        ws.on('close', (code) => {
          closeCode = code;
        });
        ws.on('error', (e) => {
          if (ws.readyState === WebSocket.CONNECTING) reject(e);
        });
        ws.on('open', () => {
          for (const f of u.frames) ws.send(f);
          // Long enough for the hello frame and any reaction to what we sent.
          setTimeout(() => {
            ws.close();
            setTimeout(() => resolve({ kind: 'open', frames, closeCode }), 30);
          }, 80);
        });
      });
      if (outcome.kind === 'refused') {
        checkAnswer(`WS ${url}`, outcome.res, stack.secrets);
        expect([400, 401, 403, 404], `WS ${url}: refusal status`).toContain(outcome.res.status);
        return;
      }
      // Accepted: every frame is a JSON object with a type; the first is hello.
      expect(outcome.frames.length, `WS ${url}: hello`).toBeGreaterThan(0);
      for (const f of outcome.frames) {
        for (const s of stack.secrets) expect(f.includes(s), `WS ${url}: frame contains a secret`).toBe(false);
        expect(typeof (JSON.parse(f) as { type?: unknown }).type).toBe('string');
      }
      expect(JSON.parse(outcome.frames[0]!).type).toBe('hello');
    }), { numRuns: 120 });
  }, 120_000);

  it('3,000 malformed requests: each a 4xx with the contract\'s error body, none in the error feed', async () => {
    const feed = async () => JSON.stringify((await stack.service.admin.listErrors({ limit: 500 })).map((e) => [e.id, e.occurrences]));
    const before = await feed();
    // A gzip header, then bytes that do not inflate.
    const badGzip = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('not deflate data at all')]);
    const json = { 'content-type': 'application/json' };
    const control = { authorization: `Bearer ${stack.keys.control}` };
    const admin = { authorization: `Bearer ${stack.adminToken}` };
    const kinds: Array<(i: number) => { method: string; path: string; headers: Record<string, string>; body?: string | Buffer }> = [
      () => ({ method: 'POST', path: '/admin/login', headers: { ...json, 'content-encoding': 'gzip' }, body: badGzip }),
      () => ({ method: 'POST', path: '/relay/calls', headers: { ...json, ...control, 'content-encoding': 'gzip' }, body: badGzip }),
      () => ({ method: 'POST', path: '/admin/api-keys', headers: { ...json, ...admin, 'content-encoding': 'deflate' }, body: badGzip }),
      () => ({ method: 'POST', path: '/admin/login', headers: { ...json, 'content-encoding': 'compress' }, body: '{}' }),
      (i) => ({ method: 'POST', path: `/relay/active-calls/%E0%A4%A${i}/drop`, headers: control }),
      (i) => ({ method: 'POST', path: `/relay/active-calls/%E0%A4%A${i}/drop`, headers: {} }),
      (i) => ({ method: 'DELETE', path: `/admin/users/%E0%A4%A${i}`, headers: admin }),
      (i) => ({ method: 'GET', path: `/admin/%E0%A4%A${i}`, headers: admin }),
      () => ({ method: 'POST', path: '/admin/login', headers: json, body: '{"username": "admin",' }),
      () => ({ method: 'POST', path: '/admin/login', headers: { 'content-type': 'text/plain' }, body: 'username=admin' }),
      () => ({ method: 'POST', path: '/admin/login', headers: { 'content-type': 'application/json; charset=utf-16' }, body: '{}' }),
      () => ({ method: 'POST', path: '/relay/calls', headers: { ...control, 'content-type': 'application/x-www-form-urlencoded' }, body: 'from=101&to=102' }),
    ];
    const total = 3000;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const i = next++;
        const r = kinds[i % kinds.length]!(i);
        const res = await rawRequest(stack.url, r);
        expect(res.status, `${r.method} ${r.path} (${String(r.headers['content-encoding'] ?? r.headers['content-type'] ?? '')})`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${r.method} ${r.path}`).toBeLessThan(500);
        checkAnswer(`${r.method} ${r.path}`, res, stack.secrets);
        expect(JSON.parse(res.body)).toEqual({ error: expect.any(String), code: expect.stringMatching(/^[a-z_]+$/) });
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await new Promise((r) => setTimeout(r, 200));
    expect(await feed()).toBe(before);
  }, 120_000);

  it('after the fuzzing: healthy, no unexpected failure in the feed, no secret in the logs', async () => {
    const res = await rawRequest(stack.url, { method: 'GET', path: '/relay/health', headers: {} });
    expect(res.status).toBe(200);
    const unexpected = await stack.service.admin.listErrors({ component: 'api', limit: 50 });
    expect(unexpected.map((e) => e.message), 'unexpected failures recorded by the relay').toEqual([]);
    const logs = JSON.stringify(stack.logs);
    for (const s of stack.secrets) expect(logs.includes(s), 'a secret in the relay log').toBe(false);
  });
});
