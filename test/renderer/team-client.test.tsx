// The dashboard's HTTP client in the desktop's team mode: the same
// HttpRelayClient the browser uses, its requests handed to the main process
// (teamRequest: method, path, body; never a header or another host), its
// live frames from the bridge. The stand-in below plays the main process's
// gateway: it answers as the relay does.
import { describe, expect, it } from 'vitest';
import type { RelayFrame } from '../../relay/contract/api-types.js';
import type { DesktopBridge, DesktopOperations } from '../../relay/contract/ipc-channels.js';
import type { TeamHttpRequest, TeamHttpResponse } from '../../relay/contract/ipc-team.js';
import { RelayApiError } from '../../renderer/client/relay-api-error.js';
import { TeamRelayClient, teamFetch } from '../../renderer/client/team-client.js';
import { createRelayClient } from '../../renderer/client/create-client.js';
import { HttpRelayClient } from '../../renderer/client/http-client.js';

const ORIGIN = 'https://relay.example.com:8443';

function gateway(answer: (req: TeamHttpRequest) => TeamHttpResponse) {
  const sent: TeamHttpRequest[] = [];
  const desktop = {
    teamRequest: async (req: TeamHttpRequest) => {
      sent.push(req);
      return answer(req);
    },
  } as unknown as DesktopOperations;
  const frames = new Set<(f: RelayFrame) => void>();
  const bridge = {
    onFrame: (l: (f: RelayFrame) => void) => {
      frames.add(l);
      return () => void frames.delete(l);
    },
    onNavigate: () => () => undefined,
  } as unknown as DesktopBridge;
  return { sent, desktop, bridge, frames };
}

const json = (status: number, body: unknown): TeamHttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('team client', () => {
  it('sends path and body only, and reads the answers as the browser client does', async () => {
    const g = gateway((req) => {
      if (req.path === '/admin/login') return json(200, { token: '', deviceToken: '', user: { username: 'ann', role: 'viewer' } });
      if (req.path === '/admin/me') return json(200, { username: 'ann', role: 'viewer' });
      if (req.path.startsWith('/admin/errors')) return json(200, { errors: [] });
      return json(404, { error: 'no such route', code: 'not_found' });
    });
    const client = new TeamRelayClient({ bridge: g.bridge, desktop: g.desktop, origin: ORIGIN });
    expect(client.desktop).toBe(g.desktop);
    expect(await client.login('ann', 'pw')).toEqual({ username: 'ann', role: 'viewer' });
    expect(await client.me()).toEqual({ username: 'ann', role: 'viewer' });
    expect(await client.listErrors({ limit: 50 })).toEqual([]);
    expect(g.sent).toEqual([
      { method: 'POST', path: '/admin/login', body: JSON.stringify({ username: 'ann', password: 'pw' }) },
      { method: 'GET', path: '/admin/me' },
      { method: 'GET', path: '/admin/errors?limit=50' },
    ]);
  });

  it("a 401 from the team relay signs the page out; the relay's error text reaches the person", async () => {
    const g = gateway(() => json(401, { error: 'Your session ended.', code: 'unauthorized' }));
    const client = new TeamRelayClient({ bridge: g.bridge, desktop: g.desktop, origin: ORIGIN });
    let signedOut = 0;
    client.onSignedOut(() => signedOut++);
    const err = await client.stats().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelayApiError);
    expect((err as RelayApiError).message).toBe('Your session ended.');
    expect(signedOut).toBe(1);
  });

  it('live frames come over the bridge', () => {
    const g = gateway(() => json(200, {}));
    const client = new TeamRelayClient({ bridge: g.bridge, desktop: g.desktop, origin: ORIGIN });
    const got: string[] = [];
    const off = client.subscribe((f) => got.push(f.type));
    for (const l of g.frames) l({ type: 'hello', seq: 3, components: {} } as unknown as RelayFrame);
    off();
    expect(got).toEqual(['hello']);
    expect(g.frames.size).toBe(0);
    expect(client.linkState).toBe('live');
  });

  it('the fetch refuses another host and a 204 has no body', async () => {
    const g = gateway(() => ({ status: 204, headers: {}, body: '' }));
    const f = teamFetch(g.desktop, ORIGIN);
    await expect(f('https://evil.example.com/admin/me')).rejects.toThrow(/not the team relay/);
    expect(g.sent).toEqual([]);
    const answer = await f(`${ORIGIN}/admin/errors/4/acknowledge`, { method: 'POST' });
    expect(answer.status).toBe(204);
    expect(g.sent).toEqual([{ method: 'POST', path: '/admin/errors/4/acknowledge' }]);
  });
});

describe('createRelayClient: the settings pick the desktop client', () => {
  function windowWith(clientMode: () => Promise<unknown>): Window {
    const bridge = {
      desktop: (op: string) => (op === 'clientMode' ? clientMode() : Promise.reject(new Error(op))),
      invoke: () => Promise.reject(new Error('unused')),
      onFrame: () => () => undefined,
      onNavigate: () => () => undefined,
      onExportProgress: () => () => undefined,
    } as unknown as DesktopBridge;
    return { relayDesktop: bridge, location: window.location } as unknown as Window;
  }

  it('team mode: the HTTP client through the main process, with the desktop operations', async () => {
    const client = await createRelayClient(windowWith(async () => ({ mode: 'team', url: ORIGIN })));
    expect(client).toBeInstanceOf(TeamRelayClient);
    expect(client.mode).toBe('http');
    expect(client.desktop).not.toBeNull();
  });

  it('own mode, or a shell that does not answer: the IPC client', async () => {
    expect((await createRelayClient(windowWith(async () => ({ mode: 'own' })))).mode).toBe('ipc');
    expect((await createRelayClient(windowWith(() => Promise.reject(new Error('no handler'))))).mode).toBe('ipc');
  });

  it('a browser (no bridge): the HTTP client on the page origin, no desktop operations', async () => {
    const client = await createRelayClient(window);
    expect(client).toBeInstanceOf(HttpRelayClient);
    expect(client).not.toBeInstanceOf(TeamRelayClient);
    expect(client.desktop).toBeNull();
  });
});
