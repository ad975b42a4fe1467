// The desktop's relay lifecycle (start, pause, resume, restart on a new
// port, reconfigure, quit) around the real relay service, with a real
// embedded store in a temporary data folder and the real 3CX simulator.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRelayHost, type RelayHost } from '../../../electron/relay/relay-host.js';
import { relayConfigFrom } from '../../../electron/settings/relay-config.js';
import { DEFAULT_SETTINGS, type DesktopSettings } from '../../../electron/settings/settings-store.js';
import type { RelayFrame } from '../../../relay/contract/api-types.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { createRelayService } from '../../../relay/service.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import type { UpstreamCandidate } from '../../../electron/settings/connection-test.js';

let sim: Simulator;
let dataDir: string;
let host: RelayHost | null = null;

beforeAll(async () => {
  sim = await startSimulator({ clientId: 'relay', clientSecret: 'desk-secret-1' });
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'relay-host-'));
});
afterEach(async () => {
  await host?.stop();
  host = null;
});
afterAll(async () => {
  await sim.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

function makeHost(state: { settings: DesktopSettings; upstreams: UpstreamCandidate }) {
  host = createRelayHost({
    logger: silentLogger,
    createService: (config) => createRelayService({ ...config, tuning: { bcryptCost: 4 } }, { logger: silentLogger }),
    buildConfig: async () => relayConfigFrom(state.settings, state.upstreams, { dataDir, version: '0.0.0-test' }),
  });
  return host;
}

describe('relay host', () => {
  it('runs the relay, pauses and resumes it, and keeps admin operations and listeners across restarts', async () => {
    const state = { settings: { ...DEFAULT_SETTINGS, relayPort: 0 }, upstreams: { pbx: null, cdr: null } as UpstreamCandidate };
    const h = makeHost(state);
    const running: boolean[] = [];
    h.onRunningChange((r) => running.push(r));

    const first = await h.start();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(h.url()).toBe(first.url);
    expect((await h.admin.health()).components.xapi.state).toBe('unconfigured');
    const res = await fetch(`${first.url}/relay/health`);
    expect(res.status).toBe(200);

    await h.pause();
    expect(h.isRunning()).toBe(false);
    expect(h.health()).toBeNull();
    await expect(h.admin.health()).rejects.toMatchObject({ code: 'relay_paused' });
    await expect(fetch(`${first.url}/relay/health`)).rejects.toThrow();

    await h.resume();
    expect((await h.admin.me()).role).toBe('admin');
    expect(running).toEqual([true, false, true]);
  }, 60_000);

  it('reconfigure points the running relay at the PBX, and frames keep flowing to the same listener', async () => {
    const state = { settings: { ...DEFAULT_SETTINGS, relayPort: 0 }, upstreams: { pbx: null, cdr: null } as UpstreamCandidate };
    const h = makeHost(state);
    const frames: RelayFrame[] = [];
    h.onFrame((f) => frames.push(f));
    await h.start();

    await h.reconfigure({ pbx: { baseUrl: sim.url, clientId: 'relay', clientSecret: 'desk-secret-1' } });
    await expect.poll(() => h.health()?.components.xapi.state, { timeout: 10_000 }).toBe('connected');
    await expect.poll(() => frames.some((f) => f.type === 'connection_state' && f.data.component === 'xapi' && f.data.state === 'connected'), { timeout: 10_000 }).toBe(true);

    // After a restart (new port), the same listener still hears the new service.
    state.upstreams = { pbx: { baseUrl: sim.url, clientId: 'relay', clientSecret: 'desk-secret-1' }, cdr: null };
    const before = frames.length;
    const restarted = await h.restart();
    expect(restarted.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect.poll(() => frames.length > before, { timeout: 10_000 }).toBe(true);
  }, 60_000);

  it('a pause requested during a start waits for it (no half-started relay left running)', async () => {
    const state = { settings: { ...DEFAULT_SETTINGS, relayPort: 0 }, upstreams: { pbx: null, cdr: null } as UpstreamCandidate };
    const h = makeHost(state);
    const started = h.start();
    const paused = h.pause();
    const { url } = await started;
    await paused;
    expect(h.isRunning()).toBe(false);
    await expect(fetch(`${url}/relay/health`)).rejects.toThrow();
  }, 60_000);
});
