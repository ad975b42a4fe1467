// The desktop as a team relay's client, against a real relay (the in-process
// harness: real HTTP server, auth, store, simulator): the sign-in keeps the
// session and device tokens in the SecretStore only (never settings.json,
// never the page), the dashboard's requests carry the session the main
// process adds, a revoked session signs the desktop out, leaving the team
// logs out on the relay, and the follower reads the relay's real health and
// error feed for the tray.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionSecretStore } from '../../../electron/secrets/secret-store.js';
import { createSettingsStore } from '../../../electron/settings/settings-store.js';
import { createTeamCredentials } from '../../../electron/team/team-credentials.js';
import { createTeamFollower } from '../../../electron/team/team-follower.js';
import { createTeamMode } from '../../../electron/team/team-mode.js';
import { createTeamFrameLink } from '../../../electron/team/team-frame-link.js';
import { WebSocket as NodeWebSocket } from 'ws';
import type { RelayFrame } from '../../../relay/contract/api-types.js';
import type { ClientModeView } from '../../../relay/contract/ipc-team.js';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { ADMIN_PASSWORD, startHarness, waitUntil, type Harness } from '../../support/relay-harness.js';

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness({ cdr: 'none' });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'team-client-'));
});
afterAll(async () => {
  await h?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

function desktop(name: string) {
  const sink = memorySink();
  const logger = createLogger(sink);
  const settingsFile = path.join(dir, `${name}.json`);
  const settings = createSettingsStore({ filePath: settingsFile, logger });
  const secrets = createSessionSecretStore();
  const applied: ClientModeView[] = [];
  const team = createTeamMode({
    settings, credentials: createTeamCredentials(secrets), fetch: (i, init) => fetch(i, init), logger,
    apply: async (m) => void applied.push(m),
  });
  return { team, settings, settingsFile, secrets, applied, logger };
}

describe('desktop as a team relay client (real relay)', () => {
  it('signs in, keeps the tokens in the SecretStore only, and sends the session on the page\'s behalf', async () => {
    const d = desktop('a');
    const result = await d.team.operations.teamSignIn({ url: `${h.url}/`, username: 'admin', password: ADMIN_PASSWORD });
    expect(result).toEqual({ mode: 'team', reload: true });
    expect(d.applied).toEqual([{ mode: 'team', url: h.url }]);
    expect(await d.team.operations.clientMode()).toEqual({ mode: 'team', url: h.url });

    const session = await d.secrets.get('teamSessionToken');
    const device = await d.secrets.get('teamDeviceToken');
    expect(session).toBeTruthy();
    expect(device).toBeTruthy();
    const file = await fs.readFile(d.settingsFile, 'utf8');
    expect(JSON.parse(file)).toMatchObject({ mode: 'team', teamUrl: h.url, teamUsername: 'admin' });
    expect(file).not.toContain(session!);
    expect(file).not.toContain(device!);

    // The page's own requests: no header from the page, the gateway adds the session.
    const me = await d.team.operations.teamRequest({ method: 'GET', path: '/admin/me' });
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual({ username: 'admin', role: 'admin' });
    expect(await d.team.operations.teamSettings()).toEqual({ url: h.url, username: 'admin', signedIn: true });

    // A login through the page's HTTP client: the stored device token goes along, the tokens do not come back.
    const relogin = await d.team.operations.teamRequest({ method: 'POST', path: '/admin/login', body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    expect(relogin.status).toBe(200);
    const answer = JSON.parse(relogin.body) as { token: string; deviceToken: string; user: unknown };
    expect(answer).toEqual({ token: '', deviceToken: '', user: { username: 'admin', role: 'admin' } });
    expect(await d.secrets.get('teamSessionToken')).not.toBe(session);
    expect(relogin.body).not.toContain((await d.secrets.get('teamSessionToken'))!);
  });

  it('a wrong password leaves the desktop on its own relay, with the relay\'s message', async () => {
    const d = desktop('b');
    await expect(d.team.operations.teamSignIn({ url: h.url, username: 'admin', password: 'not the password' }))
      .rejects.toMatchObject({ status: 401 });
    expect(d.applied).toEqual([]);
    expect(await d.team.operations.clientMode()).toEqual({ mode: 'own' });
    expect(await d.secrets.get('teamSessionToken')).toBeNull();
    expect((await d.settings.load()).mode).toBe('own');
  });

  it('a session the relay no longer knows is forgotten (the page then shows its login)', async () => {
    const d = desktop('c');
    await d.team.operations.teamSignIn({ url: h.url, username: 'admin', password: ADMIN_PASSWORD });
    const token = (await d.secrets.get('teamSessionToken'))!;
    // Another client ends this session server-side (as an admin revoking it would).
    const out = await fetch(`${h.url}/admin/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(out.status).toBe(200);
    const me = await d.team.operations.teamRequest({ method: 'GET', path: '/admin/me' });
    expect(me.status).toBe(401);
    expect(await d.secrets.get('teamSessionToken')).toBeNull();
    expect((await d.team.operations.teamSettings()).signedIn).toBe(false);
    // The device token stays: it is what keeps strangers' failures from locking this computer out.
    expect(await d.secrets.get('teamDeviceToken')).toBeTruthy();
  });

  it('leaving the team logs the session out on the relay and runs the own relay again', async () => {
    const d = desktop('d');
    await d.team.operations.teamSignIn({ url: h.url, username: 'admin', password: ADMIN_PASSWORD });
    const token = (await d.secrets.get('teamSessionToken'))!;
    expect(await d.team.operations.useOwnRelay()).toEqual({ mode: 'own', reload: true });
    expect(d.applied.at(-1)).toEqual({ mode: 'own' });
    expect(await d.secrets.get('teamSessionToken')).toBeNull();
    const stale = await fetch(`${h.url}/admin/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(stale.status).toBe(401);
    await expect(d.team.operations.teamRequest({ method: 'GET', path: '/admin/me' })).rejects.toMatchObject({ code: 'not_in_team_mode' });
  });

  it('the follower reads the relay\'s health and its new error-feed entries', async () => {
    const d = desktop('e');
    await d.team.operations.teamSignIn({ url: h.url, username: 'admin', password: ADMIN_PASSWORD });
    const clock = new ManualClock();
    const follower = createTeamFollower({ request: (r) => d.team.gateway.request(r), clock, logger: d.logger });
    try {
      await follower.poll();
      const health = follower.health();
      expect(health?.components.xapi.state).toBeDefined();
      expect(['ok', 'degraded', 'down']).toContain(health?.status);
      expect(follower.problem()).toBeNull();
      // Call Control sends garbage: the relay logs an error, the follower passes it on as new.
      const seen: string[] = [];
      follower.onError((e) => seen.push(e.component));
      h.sim.faults.sendMalformedFrame('not-json');
      await waitUntil(async () => {
        await follower.poll();
        return seen.length > 0;
      }, 'a new error-feed entry', 20_000);
      expect(seen[0]).toBe('callcontrol');
    } finally {
      follower.stop();
    }
  });

  it('the frame link opens the relay\'s WebSocket with a dashboard ticket and passes its frames on', async () => {
    const d = desktop('f');
    await d.team.operations.teamSignIn({ url: h.url, username: 'admin', password: ADMIN_PASSWORD });
    const frames: RelayFrame[] = [];
    const link = createTeamFrameLink({
      origin: h.url,
      request: (r) => d.team.gateway.request(r),
      createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
      onFrame: (f) => frames.push(f),
    });
    link.start();
    try {
      await waitUntil(() => frames.some((f) => f.type === 'hello'), 'hello');
      const id = h.sim.placeInboundCall();
      await waitUntil(() => frames.some((f) => f.type === 'calls' || f.type === 'call_event'), `frames about call ${id}`);
      const seqs = frames.filter((f) => f.type !== 'hello' && 'seq' in f).map((f) => (f as { seq: number }).seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    } finally {
      link.stop();
    }
  });

  it('signed out, the frame link stops instead of retrying forever', async () => {
    const d = desktop('g');
    await d.team.operations.teamSignIn({ url: h.url, username: 'admin', password: ADMIN_PASSWORD });
    await d.secrets.set('teamSessionToken', 'not-a-session');
    let signedOut = 0;
    const link = createTeamFrameLink({
      origin: h.url,
      request: (r) => d.team.gateway.request(r),
      createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
      onFrame: () => undefined,
      onSignedOut: () => void signedOut++,
    });
    link.start();
    await waitUntil(() => signedOut === 1, 'signed out');
    link.stop();
  });
});
