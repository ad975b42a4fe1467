// "Test connection" from the settings page, against the real 3CX simulator
// and the real PostgreSQL of the integration run. 3CX keeps one token per
// client id (a new one revokes the old), so the simulator's token counter
// shows whether a test took the running relay's token away.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelayHost } from '../../../electron/relay/relay-host.js';
import { testUpstreamConnections, type UpstreamCandidate } from '../../../electron/settings/connection-test.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { createRelayService, type RelayConfig, type RelayService } from '../../../relay/service.js';
import { startSimulator, type Simulator } from '../../../relay/sim/simulator.js';
import { testPostgres } from '../../support/test-postgres.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ clientId: 'relay', clientSecret: 'right-secret-123' });
});
afterAll(async () => {
  await sim.stop();
});

describe('testUpstreamConnections', () => {
  it('reports all three components connected with their latency', async () => {
    const results = await testUpstreamConnections({
      pbx: { baseUrl: sim.url, clientId: 'relay', clientSecret: 'right-secret-123' },
      cdr: { url: testPostgres().cdrReadonlyUrl },
    }, { logger: silentLogger, timeoutMs: 5_000 });
    expect(results.map((r) => [r.component, r.ok])).toEqual([['xapi', true], ['callcontrol', true], ['database', true]]);
    for (const r of results) expect(r.message).toMatch(/^connected/);
    // The probe's sockets are closed again.
    await expect.poll(() => sim.stats.openWebSockets).toBe(0);
  });

  it('reports a rejected secret and an unreachable database per component, without the secret', async () => {
    const results = await testUpstreamConnections({
      pbx: { baseUrl: sim.url, clientId: 'relay', clientSecret: 'wrong-secret-456' },
      cdr: { url: 'postgres://nobody:pw-not-shown@127.0.0.1:1/database_single' },
    }, { logger: silentLogger, timeoutMs: 3_000 });
    expect(results.map((r) => [r.component, r.ok])).toEqual([['xapi', false], ['callcontrol', false], ['database', false]]);
    for (const r of results) {
      expect(r.message.length).toBeGreaterThan(0);
      expect(r.message).not.toContain('wrong-secret-456');
      expect(r.message).not.toContain('pw-not-shown');
    }
  });

  it('says what is missing when nothing is configured', async () => {
    const results = await testUpstreamConnections({ pbx: null, cdr: null }, { logger: silentLogger });
    expect(results).toEqual([
      { component: 'xapi', ok: false, latencyMs: null, message: 'not configured: enter the 3CX URL, client id and secret' },
      { component: 'callcontrol', ok: false, latencyMs: null, message: 'not configured: enter the 3CX URL, client id and secret' },
      { component: 'database', ok: false, latencyMs: null, message: 'not configured: enter a database URL or import 3CXPhoneSystem.ini' },
    ]);
  });

  it('refuses a plain-http PBX URL to a remote host before connecting', async () => {
    const results = await testUpstreamConnections({
      pbx: { baseUrl: 'http://pbx.example.com', clientId: 'relay', clientSecret: 'x' }, cdr: null,
    }, { logger: silentLogger });
    expect(results[0]).toMatchObject({ component: 'xapi', ok: false, message: expect.stringContaining('https://') });
    expect(results[1]).toMatchObject({ component: 'callcontrol', ok: false });
  });
});

describe('while the relay runs (RelayService.testConnection)', () => {
  const pbx = () => ({ baseUrl: sim.url, clientId: 'relay', clientSecret: 'right-secret-123' });
  let dataDir: string;
  let service: RelayService;
  const config = (): RelayConfig => ({
    host: '127.0.0.1', port: 0, dataDir, allowedOrigins: [], allowedHostNames: [], version: 't', pbx: pbx(), tuning: { bcryptCost: 4 },
  });
  const connected = () => {
    const c = service.health().components;
    return c.xapi.state === 'connected' && c.callcontrol.state === 'connected';
  };
  const viaRelay = (candidate: UpstreamCandidate) =>
    testUpstreamConnections(candidate, { logger: silentLogger, running: () => (c) => service.testConnection(c), timeoutMs: 5_000 });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conn-test-relay-'));
    service = createRelayService(config(), { logger: silentLogger });
    await service.start();
    for (const deadline = Date.now() + 15_000; !connected();) {
      if (Date.now() > deadline) throw new Error(`the relay did not connect: ${JSON.stringify(service.health())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 30_000);
  afterAll(async () => {
    await service.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('tests the running client id through the running upstreams: no token is issued, the relay stays connected', async () => {
    const tokensBefore = sim.stats.tokenRequests;
    const xapiBefore = sim.stats.xapiRequests;
    const results = await viaRelay({ pbx: pbx(), cdr: { url: testPostgres().cdrReadonlyUrl } });
    expect(results.map((r) => [r.component, r.ok])).toEqual([['xapi', true], ['callcontrol', true], ['database', true]]);
    expect(sim.stats.tokenRequests).toBe(tokensBefore);
    // It did ask 3CX (a real probe, not the cached state).
    expect(sim.stats.xapiRequests).toBeGreaterThan(xapiBefore);
    // The relay's token is still the valid one: its own next request needs no new token.
    await expect.poll(connected).toBe(true);
    expect(sim.stats.tokenRequests).toBe(tokensBefore);
  });

  it('treats the same client id with a differently written URL as the running one', async () => {
    const tokensBefore = sim.stats.tokenRequests;
    const results = await viaRelay({ pbx: { ...pbx(), baseUrl: `${sim.url}/`, clientId: ' relay ' }, cdr: null });
    expect(results.slice(0, 2).map((r) => r.ok)).toEqual([true, true]);
    expect(sim.stats.tokenRequests).toBe(tokensBefore);
  });

  it('another secret for the running client id pauses the running upstreams for the test and resumes them', async () => {
    const results = await viaRelay({ pbx: { ...pbx(), clientSecret: 'wrong-secret-456' }, cdr: null });
    expect(results.map((r) => [r.component, r.ok])).toEqual([['xapi', false], ['callcontrol', false], ['database', false]]);
    expect(results[0]!.message).toMatch(/rejected the client id "relay"/);
    expect(JSON.stringify(results)).not.toContain('wrong-secret-456');
    // Resumed with the saved (right) secret: connected again, with one token of its own.
    await expect.poll(connected, { timeout: 10_000 }).toBe(true);
    const settled = sim.stats.tokenRequests;
    await viaRelay({ pbx: pbx(), cdr: null });
    expect(sim.stats.tokenRequests).toBe(settled);
  });

  it('the desktop host offers the running service\'s test only while the relay runs', async () => {
    const host = createRelayHost({
      logger: silentLogger,
      createService: (c) => createRelayService({ ...c, tuning: { bcryptCost: 4 } }, { logger: silentLogger }),
      buildConfig: async () => ({ ...config(), dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'conn-test-host-')) }),
    });
    expect(host.connectionTest()).toBeNull();
    await host.start();
    try {
      expect(host.connectionTest()).toBeTypeOf('function');
    } finally {
      await host.stop();
    }
    expect(host.connectionTest()).toBeNull();
  }, 30_000);
});
