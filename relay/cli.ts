// `npm run relay -- [flags]`: the relay headless. Prints the listening URL
// (exactly `relay listening on http(s)://HOST:PORT`), how it is exposed
// beyond loopback, the one-time admin password when one was generated, and
// stops cleanly on SIGINT/SIGTERM.
import { createLogger, stderrSink } from './core/logger.js';
import { passwordInUrl } from './core/redact.js';
import { ConfigError, HELP_TEXT, loadConfig } from './config/load-config.js';
import { findPackageRoot, packageVersion } from './config/package-root.js';
import { createRelayService } from './service.js';

const STOP_DEADLINE_MS = 5_000;

async function main(): Promise<number> {
  let loaded;
  try {
    loaded = loadConfig({ argv: process.argv.slice(2), env: process.env, version: packageVersion(findPackageRoot(import.meta.url)) });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`relay: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (loaded.help) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  const { config } = loaded;
  const cdrUrl = config.cdr && 'url' in config.cdr ? config.cdr.url : undefined;
  const secrets = [config.pbx?.clientSecret, config.adminPassword, passwordInUrl(cdrUrl), passwordInUrl(config.storeUrl)]
    .filter((s): s is string => !!s);
  const logger = createLogger(stderrSink, { level: loaded.logLevel, secrets: () => secrets });
  for (const w of loaded.warnings) process.stderr.write(`relay: warning: ${w}\n`);

  const service = createRelayService(config, { logger });
  // Signal handlers go in before anything else: a SIGTERM that arrives while
  // starting (or right after the listening line) must still stop cleanly.
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  let result;
  try {
    result = await service.start();
  } catch (e) {
    process.stderr.write(`relay: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const out: string[] = [`relay listening on ${result.url}`];
  // Its own line, so the listening line keeps its exact shape for the tools that parse it.
  if (loaded.exposure) out.push(loaded.exposure);
  if (result.bootstrapPassword) {
    secrets.push(result.bootstrapPassword);
    out.push(`first start: created admin user "admin" with the one-time password ${result.bootstrapPassword}`);
    out.push('  sign in at the URL above and change it (it is not shown again)');
  }
  if (config.demo) {
    out.push(`demo: 3CX simulator at ${result.simulatorUrl}; generating call history in the background`);
    out.push(`demo: dashboard ${result.url}/  login: admin / ${result.bootstrapPassword ?? (config.adminPassword ? '(RELAY_ADMIN_PASSWORD)' : '(the password set on first start)')}`);
    out.push('demo: create an API key in the dashboard (API keys page) or with');
    out.push(`  curl -s -H 'Content-Type: application/json' -d '{"username":"admin","password":"…"}' ${result.url}/admin/login`);
    out.push(`  curl -s -H 'Authorization: Bearer <token from the login>' -H 'Content-Type: application/json' -d '{"clientName":"my-crm","permissions":["read","control"]}' ${result.url}/admin/api-keys`);
    out.push(`  then: curl -s -H 'Authorization: Bearer <key>' ${result.url}/relay/active-calls`);
  }
  process.stdout.write(`${out.join('\n')}\n`);

  const signal = await stopRequested;
  logger.info('stopping', { signal });
  const hard = setTimeout(() => {
    process.stderr.write('relay: did not stop within 5 s; exiting\n');
    process.exit(1);
  }, STOP_DEADLINE_MS);
  hard.unref();
  try {
    await service.stop();
    return 0;
  } catch (e) {
    process.stderr.write(`relay: error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    clearTimeout(hard);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`relay: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
