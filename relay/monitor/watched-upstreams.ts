// The upstream part of the running relay, which reconfigure() replaces whole:
// the three clients (createUpstreams), the connection monitor watching their
// health, and the live-call bridge carrying their calls to the event hub.
import type { ActiveCall, Health } from '../contract/api-types.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import type { FramePublisher } from '../events/event-hub.js';
import { LiveCallBridge, type LiveCallObserver } from '../live-calls/live-call-bridge.js';
import { createUpstreams, stopUpstreams, type Upstreams } from '../pbx/create-upstreams.js';
import type { UpstreamConfig, UpstreamTuning } from '../pbx/pbx-config.js';
import { pbxHealth } from '../pbx/pbx-health.js';
import { ConnectionMonitor, type ConnectionMonitorDeps, type ConnectionMonitorOptions } from './connection-monitor.js';

export interface WatchedUpstreamsDeps {
  hub: FramePublisher;
  history: ConnectionMonitorDeps['history'];
  errors: ConnectionMonitorDeps['errors'];
  /** Told about every live event and call list (the call counter). */
  liveObserver?: LiveCallObserver;
  /** The system-wide live list (XAPI) to refresh when Call Control sees a change. */
  callsChanged?: (partial: ActiveCall[]) => void;
  version: string;
  clock: Clock;
  logger: Logger;
  tuning?: { upstream?: UpstreamTuning; monitor?: ConnectionMonitorOptions };
}

export interface WatchedUpstreams {
  readonly upstreams: Upstreams;
  readonly monitor: ConnectionMonitor;
  readonly liveCalls: LiveCallBridge;
  /** The monitor's component health plus what the PBX said about itself (SystemStatus, coverage). */
  health(): Health;
  /**
   * Connects once `after` settled, unless `wanted()` says no by then (the
   * relay stopping, or this set replaced meanwhile). Not awaited: a slow or
   * unreachable PBX must not delay the caller; the components report their
   * state meanwhile. The promise (never rejected) settles when the first
   * connection attempts finished.
   */
  launch(after: Promise<unknown>, wanted: () => boolean): Promise<void>;
  /** Stops the clients (so a launch in progress fails fast), waits for the launch, detaches. */
  stop(): Promise<void>;
}

/** Throws RelayError bad_request when the PBX settings are unusable (see createUpstreams). */
export function createWatchedUpstreams(config: UpstreamConfig, deps: WatchedUpstreamsDeps): WatchedUpstreams {
  const { clock, logger } = deps;
  const upstreams = createUpstreams(config, { logger, clock, ...(deps.tuning?.upstream ? { tuning: deps.tuning.upstream } : {}) });
  const monitor = new ConnectionMonitor({
    components: { xapi: upstreams.xapi, callcontrol: upstreams.callControl, database: upstreams.cdr },
    history: deps.history,
    errors: deps.errors,
    hub: deps.hub,
    version: deps.version,
    clock,
    logger,
    ...(deps.tuning?.monitor ? { options: deps.tuning.monitor } : {}),
  });
  const liveCalls = new LiveCallBridge({
    callControl: upstreams.callControl,
    hub: deps.hub,
    ...(deps.liveObserver ? { observer: deps.liveObserver } : {}),
    ...(deps.callsChanged ? { callsChanged: deps.callsChanged } : {}),
  });
  let launching: Promise<void> = Promise.resolve();
  let stopped = false;
  return {
    upstreams,
    monitor,
    liveCalls,
    health: () => ({ ...monitor.health(), ...pbxHealth(upstreams) }),
    launch(after, wanted) {
      launching = after
        .then(async () => {
          if (stopped || !wanted()) return;
          // Listening before the clients connect: the first list after connecting is a frame too.
          liveCalls.start();
          await monitor.start();
        })
        .catch((e) => logger.error('upstream start failed', { error: describeError(e) }));
      return launching;
    },
    async stop() {
      stopped = true;
      // The clients first: a launch still connecting to a slow PBX would otherwise keep
      // requesting tokens until it gave up (10 s per request), past a team's hand-over.
      liveCalls.stop();
      await stopUpstreams(upstreams);
      await launching;
      await monitor.stop();
      // Whatever the launch got to start after the first stop goes too.
      await stopUpstreams(upstreams);
    },
  };
}
