// Per-key rate limit (429), and the built dashboard served at `/` with the
// strict CSP and the single-page-app fallback.
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
  fs.writeFileSync(path.join(dashboardDir, 'assets', 'app.js'), 'console.log(1)');
  h = await startHarness({ cdr: 'none', tuning: { rateLimit: { windowMs: 60_000, limit: 5 } }, config: { dashboardDir } });
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
