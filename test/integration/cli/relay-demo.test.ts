// `npm run relay -- --demo` needs nothing but the repository: the built-in
// simulator and a PGlite call-record database. Live calls change over the
// WebSocket within seconds, call history is there, and it stops cleanly.
import { afterAll, describe, expect, it } from 'vitest';
import type { CallsFrame, CdrPage } from '../../../relay/contract/api-types.js';
import { connectOk } from '../ws/ws-harness.js';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.js';

const ADMIN_PASSWORD = 'demo-admin-password';
let p: RelayProcess | null = null;
afterAll(async () => {
  if (p && p.child.exitCode === null && p.child.signalCode === null) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
});

describe('relay --demo', () => {
  it('shows live calls changing over the WebSocket, has call history, stops with 0', { timeout: 90_000 }, async () => {
    p = spawnRelay(['--demo', '--port', '0'], { RELAY_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const url = await p.listening;
    expect(p.stdout()).toMatch(/demo: dashboard .* login: admin/);
    expect(p.stdout()).not.toContain(ADMIN_PASSWORD);
    const login = await fetch(`${url}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const { ticket } = (await (await fetch(`${url}/admin/ws-ticket`, { method: 'POST', headers: auth })).json()) as { ticket: string };
    const ws = await connectOk(`${url.replace('http', 'ws')}/relay/ws?ticket=${ticket}`);
    const lists = () => ws.frames.filter((f): f is CallsFrame => f.type === 'calls').map((f) => JSON.stringify(f.value.map((c) => [c.Id, c.Status])));
    // Two different non-empty call lists: calls are there and changing.
    await ws.waitFor(() => new Set(lists().filter((l) => l !== '[]')).size >= 2, 45_000);
    await ws.close();

    const to = new Date().toISOString();
    const from = new Date(Date.now() - 180 * 86_400_000).toISOString();
    const deadline = Date.now() + 30_000;
    let rows = 0;
    while (Date.now() < deadline) {
      const page = (await (await fetch(`${url}/admin/cdr?from=${from}&to=${to}&limit=1000`, { headers: auth })).json()) as CdrPage;
      rows = page.rows.length;
      if (rows === 1000 && page.nextCursor) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(rows).toBe(1000);

    const t0 = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
