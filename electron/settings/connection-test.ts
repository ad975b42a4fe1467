// "Test connection": builds throwaway upstream clients from the settings the
// person typed (not yet saved), lets each make its first attempt, and reports
// what each one saw. The running relay is not touched.
import type { ComponentName } from '../../relay/contract/api-types.js';
import type { ConnectionTestResult } from '../../relay/contract/ipc-channels.js';
import type { Logger } from '../../relay/core/logger.js';
import { describeError } from '../../relay/core/relay-error.js';
import { CallControlClient } from '../../relay/pbx/callcontrol-client.js';
import { CdrRepository } from '../../relay/pbx/cdr-repository.js';
import type { CdrConfig, PbxConfig } from '../../relay/pbx/pbx-config.js';
import { TokenBroker } from '../../relay/pbx/token-broker.js';
import type { UpstreamComponent } from '../../relay/pbx/upstream.js';
import { XapiClient } from '../../relay/pbx/xapi-client.js';

export interface UpstreamCandidate { pbx: PbxConfig | null; cdr: CdrConfig | null }

const NOT_CONFIGURED: Record<ComponentName, string> = {
  xapi: 'not configured: enter the 3CX URL, client id and secret',
  callcontrol: 'not configured: enter the 3CX URL, client id and secret',
  database: 'not configured: enter a database URL or import 3CXPhoneSystem.ini',
};

/** Starts each component once (each resolves after its first attempt), reads its health, stops it. */
export async function probeComponents(components: readonly UpstreamComponent[]): Promise<ConnectionTestResult[]> {
  return Promise.all(components.map(async (c): Promise<ConnectionTestResult> => {
    try {
      await c.start();
      const h = c.health();
      if (h.state === 'connected') {
        return { component: c.name, ok: true, latencyMs: h.latencyMs, message: h.latencyMs === null ? 'connected' : `connected in ${h.latencyMs} ms` };
      }
      const message = h.state === 'unconfigured' ? NOT_CONFIGURED[c.name] : h.lastError ?? `could not connect (${h.state})`;
      return { component: c.name, ok: false, latencyMs: null, message };
    } finally {
      await c.stop();
    }
  }));
}

export async function testUpstreamConnections(
  candidate: UpstreamCandidate,
  opts: { logger: Logger; timeoutMs?: number },
): Promise<ConnectionTestResult[]> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const logger = opts.logger.child({ probe: 'test-connection' });
  const results: ConnectionTestResult[] = [];
  const components: UpstreamComponent[] = [];

  let broker: TokenBroker | null = null;
  if (candidate.pbx) {
    try {
      broker = new TokenBroker({ config: candidate.pbx, logger, timeoutMs, credentialRetryMs: 0 });
    } catch (e) {
      // An unusable URL or empty id: both PBX components fail the same way, before any request.
      const message = describeError(e);
      results.push({ component: 'xapi', ok: false, latencyMs: null, message }, { component: 'callcontrol', ok: false, latencyMs: null, message });
    }
  }
  if (broker || !candidate.pbx) {
    components.push(
      new XapiClient({ broker, logger, timeoutMs }),
      new CallControlClient({ broker, logger, timeoutMs, random: () => 0.5 }),
    );
  }
  components.push(new CdrRepository({ config: candidate.cdr, logger, connectTimeoutMs: timeoutMs, poolMax: 1 }));

  results.push(...await probeComponents(components));
  const order: ComponentName[] = ['xapi', 'callcontrol', 'database'];
  return results.sort((a, b) => order.indexOf(a.component) - order.indexOf(b.component));
}
