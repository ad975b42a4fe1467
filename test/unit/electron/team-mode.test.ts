// The desktop's team-client decisions, each with stand-ins for what it
// drives: which client the settings ask for, the order a mode switch runs in
// (the own relay is stopped before the team is followed: never a 3CX
// connection beside the team's leader), what the follower turns the team
// relay's answers into, what the tray shows, the gateway's refusals, and the
// URL rule (https beyond loopback).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionSecretStore } from '../../../electron/secrets/secret-store.js';
import { DEFAULT_SETTINGS } from '../../../electron/settings/settings-store.js';
import { createModeSwitcher } from '../../../electron/team/mode-switcher.js';
import { createTeamCredentials } from '../../../electron/team/team-credentials.js';
import { createTeamFollower } from '../../../electron/team/team-follower.js';
import { createTeamGateway } from '../../../electron/team/team-gateway.js';
import { clientModeFrom } from '../../../electron/team/team-mode.js';
import { createTraySource } from '../../../electron/team/tray-source.js';
import { trayStateFor } from '../../../electron/tray/tray-state.js';
import type { ErrorEntry, Health } from '../../../relay/contract/api-types.js';
import { teamHttpRequest, teamRelayUrlProblem } from '../../../relay/contract/ipc-team.js';
import type { TeamHttpRequest, TeamHttpResponse } from '../../../relay/contract/ipc-team.js';
import type { AlertEntry } from '../../../relay/contract/supervisor-types.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { ManualClock } from '../../support/manual-clock.js';

const component = { state: 'connected' as const, latencyMs: 4, lastError: null, since: '2026-11-30T08:00:00.000Z' };
const healthy: Health = {
  status: 'ok', version: '0.1.0', uptimeS: 30, components: { xapi: component, callcontrol: component, database: component },
  team: { self: 'b', leader: 'a', upstreamConnections: 0, members: [] },
};
const errorEntry = (id: number): ErrorEntry => ({
  id, at: '2026-11-30T08:00:00.000Z', component: 'xapi', severity: 'error', message: `failure ${id}`,
  details: null, acknowledged: false, acknowledgedAt: null, acknowledgedBy: null, occurrences: 1, lastAt: '2026-11-30T08:00:00.000Z',
});
const alert = (id: number, state: AlertEntry['state']): AlertEntry => ({
  id, ruleId: 1, rule: 'Sales waiting', severity: 'warning', state, message: '4 waiting', firedAt: '2026-11-30T08:00:00.000Z',
  clearedAt: null, acknowledgedBy: null, acknowledgedAt: null, silenced: false,
});

describe('team relay URL', () => {
  it.each([
    ['https://relay.example.com:8443', null],
    ['https://relay.example.com/', null],
    ['http://127.0.0.1:8082', null],
    ['http://localhost:8082', null],
    ['http://[::1]:8082', null],
    ['http://relay.example.com:8082', /must use https/],
    ['http://10.0.0.5:8082', /must use https/],
    ['ftp://relay.example.com', /must start with https/],
    ['https://ann:pw@relay.example.com', /user name and password out of the URL/],
    ['https://relay.example.com/dashboard', /without a path/],
    ['https://relay.example.com/?x=1', /without a path/],
    ['relay.example.com', /not a URL/],
    ['', /Enter the team relay URL/],
  ])('%s', (url, expected) => {
    const problem = teamRelayUrlProblem(url);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });

  it('the page may send only relay API paths, never another host', () => {
    const ok = (path: string) => teamHttpRequest.safeParse({ method: 'GET', path }).success;
    expect(ok('/admin/errors?limit=50')).toBe(true);
    expect(ok('/relay/health')).toBe(true);
    expect(ok('//evil.example.com/admin/me')).toBe(false);
    expect(ok('/admin/../secret')).toBe(false);
    expect(ok('https://evil.example.com/admin/me')).toBe(false);
    expect(ok('/metrics')).toBe(false);
    expect(teamHttpRequest.safeParse({ method: 'PATCH', path: '/admin/me' }).success).toBe(false);
    expect(teamHttpRequest.safeParse({ method: 'GET', path: '/admin/me', headers: { Authorization: 'x' } }).success).toBe(false);
  });
});

describe('clientModeFrom', () => {
  it('team only with a usable URL; a hand-edited bad one runs the own relay', () => {
    expect(clientModeFrom(DEFAULT_SETTINGS)).toEqual({ mode: 'own' });
    expect(clientModeFrom({ ...DEFAULT_SETTINGS, mode: 'team', teamUrl: 'https://relay.example.com:8443/' }))
      .toEqual({ mode: 'team', url: 'https://relay.example.com:8443' });
    expect(clientModeFrom({ ...DEFAULT_SETTINGS, mode: 'team', teamUrl: 'http://relay.example.com' })).toEqual({ mode: 'own' });
    expect(clientModeFrom({ ...DEFAULT_SETTINGS, mode: 'team', teamUrl: '' })).toEqual({ mode: 'own' });
    expect(clientModeFrom({ ...DEFAULT_SETTINGS, mode: 'own', teamUrl: 'https://relay.example.com' })).toEqual({ mode: 'own' });
  });
});

describe('mode switcher', () => {
  function rig() {
    const steps: string[] = [];
    const switcher = createModeSwitcher({
      own: {
        start: async () => void steps.push('own:start'),
        stop: async () => {
          await new Promise((r) => setTimeout(r, 5));
          steps.push('own:stop');
        },
      },
      team: { start: (url) => void steps.push(`team:start ${url}`), stop: () => void steps.push('team:stop') },
    });
    return { steps, switcher };
  }

  it('stops the own relay before following a team, and the reverse', async () => {
    const { steps, switcher } = rig();
    await switcher.apply({ mode: 'own' });
    await switcher.apply({ mode: 'team', url: 'https://a.example.com' });
    await switcher.apply({ mode: 'own' });
    expect(steps).toEqual(['own:start', 'own:stop', 'team:start https://a.example.com', 'team:stop', 'own:start']);
  });

  it('starts in team mode without ever starting the own relay', async () => {
    const { steps, switcher } = rig();
    await switcher.apply({ mode: 'team', url: 'https://a.example.com' });
    expect(steps).toEqual(['team:start https://a.example.com']);
  });

  it('runs switches one after another and skips one that changes nothing', async () => {
    const { steps, switcher } = rig();
    await switcher.apply({ mode: 'own' });
    await Promise.all([
      switcher.apply({ mode: 'team', url: 'https://a.example.com' }),
      switcher.apply({ mode: 'team', url: 'https://a.example.com' }),
      switcher.apply({ mode: 'team', url: 'https://b.example.com' }),
    ]);
    expect(steps).toEqual(['own:start', 'own:stop', 'team:start https://a.example.com', 'team:stop', 'team:start https://b.example.com']);
    expect(switcher.current()).toEqual({ mode: 'team', url: 'https://b.example.com' });
  });
});

describe('team follower', () => {
  function rig() {
    const answers: Record<string, () => TeamHttpResponse> = {
      '/relay/health': () => ({ status: 200, headers: {}, body: JSON.stringify(healthy) }),
      '/admin/errors?limit=50': () => ({ status: 200, headers: {}, body: JSON.stringify({ errors: [] }) }),
      '/admin/alerts?limit=50': () => ({ status: 200, headers: {}, body: JSON.stringify({ alerts: [] }) }),
    };
    const asked: string[] = [];
    const request = async (req: TeamHttpRequest) => {
      asked.push(req.path);
      const answer = answers[req.path];
      if (!answer) throw new Error(`unexpected ${req.path}`);
      return answer();
    };
    const clock = new ManualClock();
    const follower = createTeamFollower({ request, clock, logger: createLogger(memorySink()), intervalMs: 5000 });
    return { answers, asked, clock, follower };
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));

  it('polls every interval and keeps the last health', async () => {
    const { asked, clock, follower } = rig();
    let changes = 0;
    follower.onHealth(() => changes++);
    await follower.poll();
    expect(follower.health()).toEqual(healthy);
    expect(asked.filter((p) => p === '/relay/health')).toHaveLength(1);
    clock.advance(4999);
    await settle();
    expect(asked.filter((p) => p === '/relay/health')).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(asked.filter((p) => p === '/relay/health')).toHaveLength(2);
    follower.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('an unreachable relay is a problem the tray names, not a stale "ok"', async () => {
    const { answers, follower } = rig();
    await follower.poll();
    answers['/relay/health'] = () => {
      throw new Error('Cannot reach the team relay at https://relay.example.com: connect ECONNREFUSED');
    };
    await follower.poll();
    expect(follower.health()).toBeNull();
    expect(follower.problem()).toMatch(/ECONNREFUSED/);
    expect(trayStateFor(follower.health(), { paused: false, productName: 'App', unreachable: follower.problem() }))
      .toEqual({ icon: 'down', tooltip: expect.stringMatching(/^App: team relay unreachable — Cannot reach/) });
    follower.stop();
  });

  it('errors already in the feed set the baseline; later ones are passed on once, oldest first', async () => {
    const { answers, follower } = rig();
    const seen: number[] = [];
    follower.onError((e) => seen.push(e.id));
    answers['/admin/errors?limit=50'] = () => ({ status: 200, headers: {}, body: JSON.stringify({ errors: [errorEntry(7), errorEntry(5)] }) });
    await follower.poll();
    expect(seen).toEqual([]);
    answers['/admin/errors?limit=50'] = () => ({ status: 200, headers: {}, body: JSON.stringify({ errors: [errorEntry(9), errorEntry(8), errorEntry(7)] }) });
    await follower.poll();
    await follower.poll();
    expect(seen).toEqual([8, 9]);
    follower.stop();
  });

  it('alerts standing at the first poll are marked initial; later transitions are not', async () => {
    const { answers, follower } = rig();
    const seen: string[] = [];
    follower.onAlert((e, initial) => seen.push(`${e.id}:${e.state}:${initial}`));
    answers['/admin/alerts?limit=50'] = () => ({ status: 200, headers: {}, body: JSON.stringify({ alerts: [alert(1, 'fired')] }) });
    await follower.poll();
    answers['/admin/alerts?limit=50'] = () => ({ status: 200, headers: {}, body: JSON.stringify({ alerts: [alert(2, 'fired'), alert(1, 'cleared')] }) });
    await follower.poll();
    await follower.poll();
    expect(seen).toEqual(['1:fired:true', '1:cleared:false', '2:fired:false']);
    follower.stop();
  });

  it('signed out: health still followed, the feeds skipped quietly', async () => {
    const { answers, follower } = rig();
    answers['/admin/errors?limit=50'] = () => ({ status: 401, headers: {}, body: '{"error":"sign in","code":"unauthorized"}' });
    answers['/admin/alerts?limit=50'] = () => ({ status: 401, headers: {}, body: '{"error":"sign in","code":"unauthorized"}' });
    await follower.poll();
    expect(follower.health()).toEqual(healthy);
    expect(follower.problem()).toBeNull();
    follower.stop();
  });
});

describe('tray source', () => {
  it('answers for the own relay, or for the team while one is followed', () => {
    const ownHealth: Health = { ...healthy, status: 'degraded' };
    delete ownHealth.team;
    let team: { follower: { health(): Health | null; problem(): string | null }; origin: string } | null = null;
    const runs: boolean[] = [];
    const source = createTraySource({
      relay: {
        health: () => ownHealth, isRunning: () => false, url: () => 'http://127.0.0.1:8082',
        onFrame: () => () => undefined, onRunningChange: () => () => undefined, onAlert: () => () => undefined,
      },
      team: () => team,
    });
    source.onRunningChange((r) => runs.push(r));
    expect([source.health()?.status, source.isRunning(), source.url(), source.problem()]).toEqual(['degraded', false, 'http://127.0.0.1:8082', null]);
    team = { follower: { health: () => null, problem: () => 'connect ECONNREFUSED' }, origin: 'https://relay.example.com' };
    source.changed();
    expect(runs).toEqual([false]);
    expect([source.health(), source.isRunning(), source.url(), source.problem()]).toEqual([null, true, 'https://relay.example.com', 'connect ECONNREFUSED']);
    const alerts: number[] = [];
    source.onAlert((e) => alerts.push(e.id));
    source.alert(alert(4, 'fired'));
    expect(alerts).toEqual([4]);
  });
});

describe('team gateway (local HTTP server)', () => {
  let server: http.Server | null = null;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });
  async function serve(handler: http.RequestListener): Promise<string> {
    server = http.createServer(handler);
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('never follows a redirect with the session', async () => {
    const hits: string[] = [];
    const origin = await serve((req, res) => {
      hits.push(`${req.url} ${req.headers.authorization ?? '-'}`);
      if (req.url === '/admin/me') {
        res.writeHead(302, { Location: '/relay/elsewhere' }).end();
        return;
      }
      res.writeHead(200).end('{}');
    });
    const secrets = createSessionSecretStore();
    await secrets.set('teamSessionToken', 'sess-1');
    const gateway = createTeamGateway({ origin: () => origin, credentials: createTeamCredentials(secrets), fetch: (i, init) => fetch(i, init) });
    const answer = await gateway.request({ method: 'GET', path: '/admin/me' });
    expect(answer.status).toBe(302);
    expect(hits).toEqual(['/admin/me Bearer sess-1']);
  });

  it('a relay that does not answer is a 502 naming it, not a hang', async () => {
    const origin = await serve(() => undefined); // accepts, never answers
    const gateway = createTeamGateway({
      origin: () => origin, credentials: createTeamCredentials(createSessionSecretStore()), fetch: (i, init) => fetch(i, init), timeoutMs: 200,
    });
    await expect(gateway.request({ method: 'GET', path: '/relay/health' }))
      .rejects.toMatchObject({ status: 502, code: 'unreachable', message: expect.stringContaining(`Cannot reach the team relay at ${origin}`) });
  });
});
