// The relay's --demo plays the 3CX release its tuning names (demoPbxVersion
// reaches the demo environment as pbxVersion), 20.0.7 otherwise.
import { afterEach, expect, it } from 'vitest';
import { silentLogger } from '../../../relay/core/logger.js';
import { startDemoEnvironment, type DemoEnvironment } from '../../../relay/demo/demo-environment.js';
import { requestToken } from '../../support/sim-client.js';

let env: DemoEnvironment | null = null;
afterEach(async () => {
  await env?.stop();
  env = null;
});

it.each([
  { pbxVersion: undefined, version: '20.0.7.1080', expiresIn: 60 },
  { pbxVersion: '20.0.9.2000', version: '20.0.9.2000', expiresIn: 3600 },
])('demo with pbxVersion $pbxVersion plays $version', { timeout: 60_000 }, async ({ pbxVersion, version, expiresIn }) => {
  env = await startDemoEnvironment({ logger: silentLogger, callsPerMinute: 0, ...(pbxVersion ? { pbxVersion } : {}) });
  expect(env.simulator.pbxVersion).toBe(version);
  const { status, body } = await requestToken(env.simulator);
  expect([status, body.expires_in]).toEqual([200, expiresIn]);
});
