// `npm run sim -- [--port N] [--rate N] [--cdr-db URL] [--client-id ID] [--client-secret S] [--seed N] [--time-scale X]
//                 [--pbx-version 20.0.7.1080] [--monitor 100,101,102|all]`
// Runs the 3CX simulator alone until SIGINT/SIGTERM. It prints its own
// (generated) client secret on purpose: it is a simulator, and the relay or
// desktop app pointed at it needs that secret.
import { parseArgs } from 'node:util';
import { createLogger, stderrSink } from '../core/logger.js';
import { DEFAULT_MONITORED_DNS, type MonitoredDns } from './callcontrol-routes.js';
import { DEFAULT_PBX_VERSION } from './pbx-profile.js';
import { startSimulator } from './simulator.js';

function monitoredOption(value: string | undefined): MonitoredDns {
  if (value === undefined) return DEFAULT_MONITORED_DNS;
  if (value.trim() === 'all') return 'all';
  return value.split(',').map((dn) => dn.trim()).filter(Boolean);
}

function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative number\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      rate: { type: 'string' },
      'cdr-db': { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      seed: { type: 'string' },
      'time-scale': { type: 'string' },
      'token-lifetime': { type: 'string' },
      'pbx-version': { type: 'string' },
      monitor: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run sim -- [--port N] [--rate CALLS_PER_MIN] [--cdr-db postgres://...] [--client-id ID]\n' +
        '                      [--client-secret S] [--seed N] [--time-scale X] [--token-lifetime S]\n' +
        `                      [--pbx-version V (default ${DEFAULT_PBX_VERSION})] [--monitor DN,DN,...|all (default ${DEFAULT_MONITORED_DNS.join(',')})] [--verbose]\n`,
    );
    return;
  }
  const logger = createLogger(stderrSink, { level: values.verbose ? 'debug' : 'warn' });
  const sim = await startSimulator({
    port: numberOption('port', values.port, 0),
    callsPerMinute: numberOption('rate', values.rate, 6),
    cdrDatabaseUrl: values['cdr-db'],
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    seed: values.seed === undefined ? undefined : numberOption('seed', values.seed, 1),
    timeScale: numberOption('time-scale', values['time-scale'], 1),
    tokenLifetimeS: numberOption('token-lifetime', values['token-lifetime'], 3600),
    pbxVersion: values['pbx-version'],
    callControlMonitors: monitoredOption(values.monitor),
    logger,
  });
  process.stdout.write(
    `3CX simulator listening on ${sim.url}\n` +
      `  client id:     ${sim.clientId}\n` +
      `  client secret: ${sim.clientSecret}\n` +
      `  3CX version:   ${sim.pbxVersion}\n` +
      `  calls/minute:  ${sim.callsPerMinute}${values['cdr-db'] ? '\n  writing CDR rows to the given database' : ''}\n` +
      `  test control:  ${sim.url}/__sim/state\n`,
  );
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping simulator\n`);
    sim.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`simulator failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
