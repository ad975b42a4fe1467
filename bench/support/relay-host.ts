// The relay service in a child process with an event-loop probe: for the
// soak, which must read the relay's own event-loop delay
// (perf_hooks.monitorEventLoopDelay) and heap, things /proc cannot tell.
// RelayConfig as JSON in argv[2] (without secrets); the PBX client secret in
// RELAY_PBX_CLIENT_SECRET and the admin password in RELAY_ADMIN_PASSWORD, as
// for the CLI. Prints `relay listening on URL`; every `sampleMs` (argv[3],
// default 10,000) sends { type: 'sample', ... } over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger, stderrSink } from '../../relay/core/logger.js';
import { createRelayService, type RelayConfig } from '../../relay/service.js';

export interface HostSample {
  type: 'sample';
  atMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  eventLoopMeanMs: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  activeResources: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as RelayConfig;
const sampleMs = Number(process.argv[3] ?? 10_000);
if (config.pbx) config.pbx.clientSecret = process.env.RELAY_PBX_CLIENT_SECRET ?? '';
config.adminPassword = process.env.RELAY_ADMIN_PASSWORD;

const service = createRelayService(config, { logger: createLogger(stderrSink, { level: 'warn' }) });
const { url } = await service.start();
process.stdout.write(`relay listening on ${url}\n`);

const delay = monitorEventLoopDelay({ resolution: 2 });
delay.enable();
const timer = setInterval(() => {
  const sample: HostSample = {
    type: 'sample',
    atMs: performance.now(),
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes: process.memoryUsage().heapUsed,
    eventLoopMeanMs: delay.mean / 1e6,
    eventLoopP99Ms: delay.percentile(99) / 1e6,
    eventLoopMaxMs: delay.max / 1e6,
    activeResources: process.getActiveResourcesInfo().length,
  };
  delay.reset();
  process.send?.(sample);
}, sampleMs);

const shutdown = () => {
  clearInterval(timer);
  delay.disable();
  void service.stop().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
