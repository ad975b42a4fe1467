// "Test connection" for settings that are typed but not yet saved. 3CX keeps
// one access token per client id and issuing a new one revokes the previous
// one, so a test must never fetch a second token for the client id the relay
// is running with:
// - same PBX, client id and secret as the running relay: the running
//   components are probed (their broker's token, their socket), nothing new
//   is built;
// - same PBX and client id with another secret: testing it needs a token for
//   that client id, so the running PBX components are paused for the test and
//   resumed after it (they then fetch one new token of their own);
// - anything else (another client id or PBX, or no running relay): throwaway
//   components from the upstream factory, stopped again after the test.
// The database is always tested with a throwaway pool: no token is involved.
import type { ComponentName } from '../contract/api-types.js';
import type { ConnectionTestResult } from '../contract/ipc-channels.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import { createUpstreams, stopUpstreams, type Upstreams } from './create-upstreams.js';
import { normalizePbxBaseUrl, type CdrConfig, type PbxConfig, type UpstreamTuning } from './pbx-config.js';
import type { UpstreamComponent } from './upstream.js';

export interface UpstreamCandidate { pbx: PbxConfig | null; cdr: CdrConfig | null }

/** What the relay runs right now: its PBX settings and the components built from them. */
export interface RunningUpstreams {
  pbx: PbxConfig | null;
  upstreams: Pick<Upstreams, 'tokenBroker' | 'xapi' | 'callControl'>;
}

export interface ConnectionTestDeps {
  logger: Logger;
  clock?: Clock;
  /** The running relay's upstreams; null (or absent) when no relay runs. */
  running?: () => RunningUpstreams | null;
  /** Per request and per first attempt (default 10 s). */
  timeoutMs?: number;
  tuning?: UpstreamTuning;
}

const NOT_CONFIGURED: Record<ComponentName, string> = {
  xapi: 'not configured: enter the 3CX URL, client id and secret',
  callcontrol: 'not configured: enter the 3CX URL, client id and secret',
  database: 'not configured: enter a database URL or import 3CXPhoneSystem.ini',
};
const ORDER: ComponentName[] = ['xapi', 'callcontrol', 'database'];

function resultOf(c: Pick<UpstreamComponent, 'name' | 'health'>): ConnectionTestResult {
  const h = c.health();
  if (h.state === 'connected') {
    return { component: c.name, ok: true, latencyMs: h.latencyMs, message: h.latencyMs === null ? 'connected' : `connected in ${h.latencyMs} ms` };
  }
  const message = h.state === 'unconfigured' ? NOT_CONFIGURED[c.name] : h.lastError ?? `could not connect (${h.state})`;
  return { component: c.name, ok: false, latencyMs: null, message };
}

/** Starts each throwaway component once (each resolves after its first attempt), reads its health, stops it. */
async function probeThrowaway(components: readonly UpstreamComponent[]): Promise<ConnectionTestResult[]> {
  return Promise.all(components.map(async (c) => {
    try {
      await c.start();
      return resultOf(c);
    } finally {
      await c.stop();
    }
  }));
}

/** The running components, probed in place: the same broker and token, a ping on the same socket. */
async function probeRunning(u: RunningUpstreams['upstreams']): Promise<ConnectionTestResult[]> {
  await Promise.all([
    u.xapi.check(),
    // A socket that is down is retried now rather than at its next backoff step.
    u.callControl.state === 'connected' ? u.callControl.check() : u.callControl.reconnect(),
  ]);
  return [resultOf(u.xapi), resultOf(u.callControl)];
}

type PbxRelation = 'same' | 'same-client-other-secret' | 'unrelated';

function relation(candidate: PbxConfig, running: PbxConfig | null): PbxRelation {
  if (!running) return 'unrelated';
  let same: boolean;
  try {
    same = normalizePbxBaseUrl(candidate.baseUrl) === normalizePbxBaseUrl(running.baseUrl) && candidate.clientId.trim() === running.clientId.trim();
  } catch {
    return 'unrelated'; // an unusable URL is refused by the factory below, before any request
  }
  if (!same) return 'unrelated';
  return candidate.clientSecret === running.clientSecret ? 'same' : 'same-client-other-secret';
}

function throwaway(config: { pbx: PbxConfig | null; cdr: CdrConfig | null }, deps: ConnectionTestDeps, timeoutMs: number): Upstreams {
  return createUpstreams(config, {
    logger: deps.logger,
    ...(deps.clock ? { clock: deps.clock } : {}),
    // No jitter: a test makes one attempt.
    random: () => 0.5,
    tuning: { ...deps.tuning, requestTimeoutMs: timeoutMs, credentialRetryMs: 0, cdrPoolMax: 1 },
  });
}

async function testPbx(candidate: PbxConfig | null, deps: ConnectionTestDeps, timeoutMs: number): Promise<ConnectionTestResult[]> {
  const running = deps.running?.() ?? null;
  const rel = candidate ? relation(candidate, running?.pbx ?? null) : 'unrelated';
  if (rel === 'same' && running) return probeRunning(running.upstreams);

  let u: Upstreams;
  try {
    u = throwaway({ pbx: candidate, cdr: null }, deps, timeoutMs);
  } catch (e) {
    // An unusable URL or empty id: both PBX components fail the same way, before any request.
    const message = describeError(e);
    return [{ component: 'xapi', ok: false, latencyMs: null, message }, { component: 'callcontrol', ok: false, latencyMs: null, message }];
  }
  const paused = rel === 'same-client-other-secret' && running ? running.upstreams : null;
  if (paused) {
    deps.logger.info('pausing the 3CX connection for a connection test with another secret for the same client id');
    await Promise.all([paused.xapi.stop(), paused.callControl.stop()]);
    // Its token is revoked by the test's: drop it, so the resumed components ask for a new one at once.
    paused.tokenBroker?.stop();
  }
  try {
    return await probeThrowaway([u.xapi, u.callControl]);
  } finally {
    await stopUpstreams(u);
    if (paused) await Promise.all([paused.xapi.start(), paused.callControl.start()]);
  }
}

async function testDatabase(candidate: CdrConfig | null, deps: ConnectionTestDeps, timeoutMs: number): Promise<ConnectionTestResult> {
  const u = throwaway({ pbx: null, cdr: candidate }, deps, timeoutMs);
  try {
    const [result] = await probeThrowaway([u.cdr]);
    return result!;
  } finally {
    await stopUpstreams(u);
  }
}

export async function testUpstreamConnections(candidate: UpstreamCandidate, deps: ConnectionTestDeps): Promise<ConnectionTestResult[]> {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const logged = { ...deps, logger: deps.logger.child({ probe: 'test-connection' }) };
  const [pbx, database] = await Promise.all([testPbx(candidate.pbx, logged, timeoutMs), testDatabase(candidate.cdr, logged, timeoutMs)]);
  return [...pbx, database].sort((a, b) => ORDER.indexOf(a.component) - ORDER.indexOf(b.component));
}
