// Per-key rate limit (429), the built dashboard served at `/` with the
// strict CSP, nosniff, no source maps and the single-page-app fallback, and
// HEAD on the CSV export (headers only, no export).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/relay-harness.js';

let h: Harness;
let dashboardDir: string;
beforeAll(async () => {
  dashboardDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-dash-'));
  fs.writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>dash</title><script type="module" src="/assets/app.js"></script>');
  fs.mkdirSync(path.join(dashboardDir, 'assets'));
  fs.writeFileSync(path.join(dashboardDir, 'assets', 'app.js'), 'console.log(1)\n//# sourceMappingURL=app.js.map');
  fs.writeFileSync(path.join(dashboardDir, 'assets', 'app.js.map'), '{"version":3,"sources":["../src/secret-logic.ts"]}');
  // A call-record database nobody listens on: any export attempt fails upstream.
  const cdr = { url: 'postgres://nobody@127.0.0.1:9/none' };
  h = await startHarness({ cdr: 'none', tuning: { rateLimit: { windowMs: 60_000, limit: 5 } }, config: { dashboardDir, cdr } });
});
afterAll(async () => {
  await h?.close();
  fs.rmSync(dashboardDir, { recursive: true, force: true });
});

describe('rate limit', () => {
  it('429 past the per-key budget; another key is unaffected', async () => {
    const statuses: number[] = [];
    const budgets: (string | null)[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await h.req('/relay/active-calls', { auth: h.keys.read });
      statuses.push(r.status);
      budgets.push(r.headers.get('ratelimit'));
      expect(r.headers.get('ratelimit-policy')).toBe('"per-key";q=5;w=60');
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    // IETF draft-8 remaining budget, counting down to 0 and staying there.
    expect(budgets.map((b) => b?.match(/^"per-key";r=(\d+);t=\d+$/)?.[1])).toEqual(['4', '3', '2', '1', '0', '0', '0']);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const r = await h.req('/relay/active-calls', { auth: h.keys.read });
    expect(await r.json()).toEqual({ error: expect.stringMatching(/exceeded/), code: 'rate_limited' });
    expect(r.headers.get('retry-after')).toBeTruthy();
    expect((await h.req('/relay/active-calls', { auth: h.keys.control })).status).toBe(200);
  });
});

describe('dashboard', () => {
  const csp = (port: string) =>
    `default-src 'self'; connect-src 'self' ws://127.0.0.1:${port}; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

  it('serves index.html and assets at / with the strict CSP', async () => {
    const port = new URL(h.url).port;
    const r = await h.req('/', { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<title>dash</title>');
    expect(r.headers.get('content-security-policy')).toBe(csp(port));
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    const js = await h.req('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-security-policy')).toBe(csp(port));
  });

  it('sends nosniff with the page and its assets, and never serves a source map', async () => {
    for (const p of ['/', '/assets/app.js', '/calls/live']) {
      const r = await h.req(p, { headers: { accept: 'text/html' } });
      expect(r.status, p).toBe(200);
      expect(r.headers.get('x-content-type-options'), p).toBe('nosniff');
    }
    for (const p of ['/assets/app.js.map', '/assets/APP.JS.MAP', '/assets/missing.js.map']) {
      const r = await h.req(p, { headers: { accept: 'text/html,*/*' } });
      expect(r.status, p).toBe(404);
      expect(await r.text(), p).not.toContain('secret-logic');
    }
  });

  it('falls back to index.html for client-side routes, never for API paths', async () => {
    const page = await h.req('/calls/live', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>dash</title>');
    const api = await h.req('/relay/nope', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: expect.any(String), code: 'not_found' });
    const missingAsset = await h.req('/assets/missing.js', { headers: { accept: '*/*' } });
    expect(missingAsset.status).toBe(404);
  });
});

describe('HEAD on the CSV export', () => {
  const range = 'from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z';

  it('answers the CSV headers without running the export (GET on the same dead database fails upstream)', async () => {
    // A key of its own: the rate-limit test above spent the harness keys' budget of 5.
    const key = ((await (await h.req('/admin/api-keys', { method: 'POST', auth: h.adminToken, json: { clientName: 'head', permissions: ['read'] } })).json()) as { apiKey: string }).apiKey;
    const get = await h.req(`/relay/cdr.csv?${range}`, { auth: key });
    expect(get.status).toBeGreaterThanOrEqual(502);
    for (const [p, auth] of [[`/relay/cdr.csv?${range}`, key], [`/admin/cdr.csv?${range}`, h.adminToken]] as const) {
      const head = await h.req(p, { method: 'HEAD', auth });
      expect(head.status, p).toBe(200);
      expect(head.headers.get('content-type'), p).toBe('text/csv; charset=utf-8');
    }
    // Still validated and authorised like GET.
    expect((await h.req('/relay/cdr.csv?from=2026-02-01&to=2026-01-01', { method: 'HEAD', auth: key })).status).toBe(400);
    expect((await h.req(`/relay/cdr.csv?${range}`, { method: 'HEAD' })).status).toBe(401);
  });
});
