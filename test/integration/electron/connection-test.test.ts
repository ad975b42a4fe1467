// "Test connection" from the settings page, against the real 3CX simulator
// and the real PostgreSQL of the integration run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testUpstreamConnections } from '../../../electron/settings/connection-test.js';
import { silentLogger } from '../../../relay/core/logger.js';
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
