// Headless settings: flag beats env beats --config file beats default, as the
// contract's table says. Validation errors name where the bad value came from.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { LogLevel } from '../core/logger.js';
import type { CdrConfig, PbxConfig } from '../pbx/pbx-config.js';
import type { RelayConfig } from '../service-types.js';
import { defaultDataDir } from './app-data-dir.js';
import {
  ConfigError, INI_DEFAULT_LOCATION, SETTING_NAMES, readConfigFile, readEnv, readFlags, realFileAccess,
  type FileAccess, type RawSettings, type SettingName,
} from './config-sources.js';
import { isCredentialSafeUrl, isLoopbackHost } from '../contract/loopback.js';
import { exposureProblem, LOOPBACK_PROXY, type ListenSecurity } from '../http/security/listen-security.js';
import { loadTlsFiles } from './tls-files.js';
import { passwordInUrl } from '../core/redact.js';
import type { IniSectionNames } from '../pbx/pbx-config.js';
import { resolveQueueCallsMapping } from '../pbx/queue-calls-query.js';

export { ConfigError } from './config-sources.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8082;
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LoadConfigInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  version: string;
  platform?: NodeJS.Platform;
  home?: string;
  cwd?: string;
  files?: FileAccess;
  /** For the TLS certificate's validity check (default: now). */
  now?: Date;
}

export interface LoadedConfig {
  config: RelayConfig;
  /** Things a person should see at start-up (non-loopback host, half-configured PBX). */
  warnings: string[];
  logLevel: LogLevel;
  help: boolean;
  /** How the relay is reachable, for the line after `relay listening on`; null on plain loopback. */
  exposure: string | null;
}

type Source = 'flag' | 'env' | 'file';

export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const flags = readFlags(input.argv);
  const env = readEnv(input.env);
  const configFile = flags.config ?? env.config;
  const cwd = input.cwd ?? process.cwd();
  const file = configFile ? readConfigFile(path.resolve(cwd, configFile), input.files ?? realFileAccess) : {};

  const origin = new Map<SettingName, Source>();
  const pick = <K extends SettingName>(key: K): RawSettings[K] => {
    for (const [src, layer] of [['flag', flags], ['env', env], ['file', file]] as const) {
      if (layer[key] !== undefined) {
        origin.set(key, src);
        return layer[key];
      }
    }
    return undefined;
  };
  const where = (key: Exclude<SettingName, 'help'>) => {
    const names = SETTING_NAMES[key];
    switch (origin.get(key)) {
      case 'flag': return names.flag!;
      case 'env': return names.env!;
      case 'file': return `"${key}" in ${configFile}`;
      default: return names.flag ?? names.env!;
    }
  };
  const fail = (key: Exclude<SettingName, 'help'>, msg: string): never => {
    throw new ConfigError(`${where(key)}: ${msg}`);
  };
  const warnings: string[] = [];

  const host = pick('host') ?? DEFAULT_HOST;
  if (!/^[A-Za-z0-9.:\-[\]]+$/.test(host)) fail('host', `"${host}" is not a host name or IP address`);

  const portRaw = pick('port');
  let port = DEFAULT_PORT;
  if (portRaw !== undefined) {
    port = Number(portRaw);
    if (!/^\d+$/.test(portRaw.trim()) || !Number.isInteger(port) || port < 0 || port > 65535) {
      fail('port', `"${portRaw}" is not a port; use a whole number from 0 to 65535 (0 picks a free one)`);
    }
  }

  const pbx = resolvePbx(pick('pbxUrl'), pick('clientId'), pick('clientSecret'), warnings, fail);
  const iniSections = {
    ...(pick('pbxIniServerSection') ? { server: pick('pbxIniServerSection')! } : {}),
    ...(pick('pbxIniDatabaseSection') ? { database: pick('pbxIniDatabaseSection')! } : {}),
    ...(pick('pbxIniReadonlySection') ? { readonly: pick('pbxIniReadonlySection')! } : {}),
  };
  const cdr = withCdrPassword(
    resolveCdr(pick('cdrDb'), pick('pbxIni'), iniSections, cwd, fail),
    input.env.RELAY_CDR_DB_PASSWORD || undefined,
    warnings,
  );
  if (origin.get('cdrDb') === 'flag' && passwordInUrl(flags.cdrDb)) {
    warnings.push(
      '--cdr-db carries a password, which every user of this machine can read in `ps` and /proc/<pid>/cmdline; ' +
        'drop it from the URL and set RELAY_CDR_DB_PASSWORD instead',
    );
  }

  const storeUrl = pick('storeUrl');
  if (storeUrl !== undefined && !isPostgresUrl(storeUrl)) fail('storeUrl', 'must be a postgres://user:pass@host:port/db URL');

  const demo = pick('demo') ?? false;
  const dataDirRaw = pick('dataDir');
  // The demo keeps its store in a temporary folder unless told otherwise, so
  // trying it never mixes demo users and keys into the real relay's data.
  const dataDir = dataDirRaw !== undefined
    ? path.resolve(cwd, dataDirRaw)
    : demo ? undefined : defaultDataDir(input.platform ?? process.platform, input.env, input.home ?? os.homedir());

  const dashboardRaw = pick('dashboardDir');
  const allowedOrigins = (pick('allowedOrigins') ?? []).map((o) => normaliseOrigin(o, () => fail('allowedOrigins', `"${o}" is not an origin like https://crm.example.com`)));
  const allowedHostNames = (pick('allowedHostNames') ?? []).map((h) => {
    if (!/^[A-Za-z0-9.\-[\]:]+$/.test(h)) fail('allowedHostNames', `"${h}" is not a host name`);
    return h.toLowerCase();
  });

  const files = input.files ?? realFileAccess;
  const security = resolveSecurity(pick('tlsCert'), pick('tlsKey'), pick('trustProxy'), pick('proxyAddresses'), {
    cwd, files, now: input.now ?? new Date(), warnings, where, fail,
  });
  const problem = exposureProblem({ host, security: security?.security, allowedHostNames, allowedOrigins });
  if (problem) throw new ConfigError(problem);
  let exposure: string | null = null;
  if (!isLoopbackHost(host) || security) {
    const how = security?.description ?? 'plain http, this machine only';
    exposure = `relay exposure: ${how}; hosts: ${allowedHostNames.join(', ') || '(loopback names only)'}; origins: ${allowedOrigins.join(', ') || '(its own only)'}`;
  }
  if (!isLoopbackHost(host)) {
    warnings.push(`listening on ${host}, which is not a loopback address: other machines can reach the relay's API`);
  }

  const advertiseUrl = resolveAdvertiseUrl(pick('advertiseUrl'), (msg) => fail('advertiseUrl', msg));

  const logLevelRaw = pick('logLevel') ?? 'info';
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);

  // 3CX has not documented callcent_queuecalls: an update that renames a column is met with a config change, checked here.
  const queueCallsMapping = pick('queueCallsMapping');
  if (queueCallsMapping) {
    try {
      resolveQueueCallsMapping(queueCallsMapping);
    } catch (e) {
      fail('queueCallsMapping', (e as Error).message);
    }
  }

  if (demo && (pbx || cdr)) warnings.push('--demo runs against the built-in simulator: the 3CX and call-record settings given are not used');
  const adminPassword = input.env.RELAY_ADMIN_PASSWORD || undefined;
  const config: RelayConfig = {
    host,
    port,
    ...(pbx ? { pbx } : {}),
    ...(cdr ? { cdr } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(storeUrl ? { storeUrl } : {}),
    ...(dashboardRaw !== undefined ? { dashboardDir: path.resolve(cwd, dashboardRaw) } : {}),
    allowedOrigins,
    allowedHostNames,
    ...(advertiseUrl ? { advertiseUrl } : {}),
    ...(security ? { security: security.security } : {}),
    ...(adminPassword ? { adminPassword } : {}),
    demo,
    version: input.version,
    ...(queueCallsMapping ? { tuning: { supervisor: { queueCallsMapping } } } : {}),
  };
  return { config, warnings, logLevel: logLevelRaw as LogLevel, help: flags.help ?? false, exposure };
}

/** Followers send admins' and integrations' credentials there: https, or http only on this machine. */
function resolveAdvertiseUrl(raw: string | undefined, fail: (msg: string) => never): string | undefined {
  if (raw === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return fail(`"${raw}" is not a URL like https://relay1.example.com:8443`);
  }
  if (!isCredentialSafeUrl(u)) {
    fail(`"${raw}" must be https:// (http:// only for a loopback address): other members send credentials to it`);
  }
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    fail(`"${raw}" must be only scheme, host and port`);
  }
  return u.origin;
}

interface SecurityContext {
  cwd: string;
  files: FileAccess;
  now: Date;
  warnings: string[];
  where: (key: 'tlsCert' | 'tlsKey') => string;
  fail: (key: 'tlsCert' | 'tlsKey' | 'proxyAddresses', msg: string) => never;
}

/** --tls-cert/--tls-key and --trust-proxy/--proxy-address; undefined when none is set. */
function resolveSecurity(
  certFile: string | undefined,
  keyFile: string | undefined,
  trustProxy: boolean | undefined,
  proxyAddresses: string[] | undefined,
  ctx: SecurityContext,
): { security: ListenSecurity; description: string } | undefined {
  const security: ListenSecurity = {};
  const how: string[] = [];
  if (certFile !== undefined || keyFile !== undefined) {
    if (certFile === undefined) ctx.fail('tlsKey', 'is set without --tls-cert FILE; give both');
    if (keyFile === undefined) ctx.fail('tlsCert', 'is set without --tls-key FILE; give both');
    const tls = loadTlsFiles(
      { cert: path.resolve(ctx.cwd, certFile!), key: path.resolve(ctx.cwd, keyFile!) },
      { cert: ctx.where('tlsCert'), key: ctx.where('tlsKey') },
      ctx.files,
      ctx.now,
    );
    ctx.warnings.push(...tls.warnings);
    security.tls = tls.credentials;
    how.push(`TLS (certificate ${tls.subject}, valid until ${tls.validTo.toISOString().slice(0, 10)})`);
  }
  if (proxyAddresses !== undefined && !trustProxy) {
    ctx.fail('proxyAddresses', 'names the reverse proxy for --trust-proxy, which is not set; add --trust-proxy');
  }
  if (trustProxy) {
    const proxies = proxyAddresses?.length ? proxyAddresses : [LOOPBACK_PROXY];
    for (const p of proxies) {
      if (p !== LOOPBACK_PROXY && net.isIP(p) === 0) ctx.fail('proxyAddresses', `"${p}" is not an IP address (or "${LOOPBACK_PROXY}")`);
    }
    security.trustProxy = { proxies };
    how.push(`behind a reverse proxy that terminates TLS (X-Forwarded-Proto and X-Forwarded-Host believed only from ${proxies.join(', ')})`);
  }
  return how.length ? { security, description: how.join(' and ') } : undefined;
}

function resolvePbx(
  url: string | undefined,
  clientId: string | undefined,
  clientSecret: string | undefined,
  warnings: string[],
  fail: (key: 'pbxUrl', msg: string) => never,
): PbxConfig | undefined {
  if (url === undefined && clientId === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url ?? '');
  } catch {
    if (url === undefined) {
      warnings.push('a 3CX client id is set but no --pbx-url: XAPI and Call Control stay unconfigured');
      return undefined;
    }
    return fail('pbxUrl', `"${url}" is not a URL; use e.g. https://pbx.example.com`);
  }
  if (parsed.protocol === 'http:') {
    if (!isLoopbackHost(parsed.hostname)) {
      fail('pbxUrl', 'a plain http:// URL is accepted only for a loopback simulator; a real 3CX is reached over https://');
    }
  } else if (parsed.protocol !== 'https:') {
    fail('pbxUrl', `must start with https:// (got ${parsed.protocol})`);
  }
  if (parsed.username || parsed.password) fail('pbxUrl', 'must not carry credentials; set --client-id and RELAY_PBX_CLIENT_SECRET');
  if (parsed.search || parsed.hash) fail('pbxUrl', 'must be the PBX base address without query or fragment');
  const missing = [clientId === undefined && '--client-id (RELAY_PBX_CLIENT_ID)', clientSecret === undefined && 'RELAY_PBX_CLIENT_SECRET'].filter(Boolean);
  if (missing.length) {
    warnings.push(`--pbx-url is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing: XAPI and Call Control stay unconfigured`);
    return undefined;
  }
  const baseUrl = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  return { baseUrl, clientId: clientId!, clientSecret: clientSecret! };
}

function resolveCdr(
  url: string | undefined,
  ini: string | undefined,
  sections: Partial<IniSectionNames>,
  cwd: string,
  fail: (key: 'cdrDb' | 'pbxIni', msg: string) => never,
): CdrConfig | undefined {
  if (url !== undefined && ini !== undefined) fail('pbxIni', 'give either --cdr-db or --pbx-ini, not both');
  if (url !== undefined) {
    if (!isPostgresUrl(url)) fail('cdrDb', 'must be a postgres://user:pass@host:port/db URL');
    return { url };
  }
  if (ini === undefined) return undefined;
  const iniSections = Object.keys(sections).length > 0 ? { iniSections: sections } : {};
  return ini === INI_DEFAULT_LOCATION ? iniSections : { iniPath: path.resolve(cwd, ini), ...iniSections };
  return undefined;
}

/**
 * RELAY_CDR_DB_PASSWORD goes into the database URL (the desktop app does the
 * same with the password from its SecretStore), so the password never has to
 * be on the command line or in a file.
 */
function withCdrPassword(cdr: CdrConfig | undefined, password: string | undefined, warnings: string[]): CdrConfig | undefined {
  if (password === undefined) return cdr;
  if (!cdr || !('url' in cdr)) {
    warnings.push(`RELAY_CDR_DB_PASSWORD is set but ${cdr ? 'the call records come from --pbx-ini, which has its own password' : 'no --cdr-db is given'}: it is not used`);
    return cdr;
  }
  const u = new URL(cdr.url);
  if (!u.username) {
    warnings.push('RELAY_CDR_DB_PASSWORD is set but the --cdr-db URL names no user (postgres://user@host/db): it is not used');
    return cdr;
  }
  if (u.password) warnings.push('RELAY_CDR_DB_PASSWORD replaces the password written in the --cdr-db URL');
  u.password = encodeURIComponent(password);
  return { url: u.toString() };
}

function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.hostname !== '';
  } catch {
    return false;
  }
}

function normaliseOrigin(o: string, bad: () => never): string {
  try {
    const u = new URL(o);
    if (!/^https?:$/.test(u.protocol) || u.origin !== o.replace(/\/$/, '')) bad();
    return u.origin;
  } catch {
    return bad();
  }
}

export const HELP_TEXT = `Usage: npm run relay -- [flags]

  --config FILE          JSON config file, same keys in camelCase   [RELAY_CONFIG]
  --host H               listen address (default 127.0.0.1)          [RELAY_HOST]
  --port N               listen port (default 8082; 0 = a free one)  [RELAY_PORT]
  --pbx-url URL          3CX base URL, https://pbx.example.com       [RELAY_PBX_URL]
  --client-id ID         XAPI / Call Control client id               [RELAY_PBX_CLIENT_ID]
  (env only)             its secret                                  [RELAY_PBX_CLIENT_SECRET]
  --cdr-db URL           postgres://user@host:port/db of 3CX         [RELAY_CDR_DB_URL]
  (env only)             its password (keep it out of the URL)       [RELAY_CDR_DB_PASSWORD]
  --pbx-ini FILE         read the CDR connection from 3CXPhoneSystem.ini [RELAY_PBX_INI]
                         ("default": /var/lib/3cxpbx/Bin/, then the older Instance1/Bin/)
  --pbx-ini-server-section S    its [CfgServerProfile] under another name   [RELAY_PBX_INI_SERVER_SECTION]
  --pbx-ini-database-section S  its [QMDatabase] under another name         [RELAY_PBX_INI_DATABASE_SECTION]
  --pbx-ini-readonly-section S  its [DbAdminREADONLY] under another name    [RELAY_PBX_INI_READONLY_SECTION]
  --data-dir DIR         where the embedded store lives              [RELAY_DATA_DIR]
  --store-url URL        keep the relay's tables on PostgreSQL       [RELAY_STORE_URL]
  --dashboard-dir DIR    built dashboard to serve at /               [RELAY_DASHBOARD_DIR]
  --allow-origin O       browser origin allowed (repeatable)         [RELAY_ALLOW_ORIGINS, comma-separated]
  --allow-host H         Host name allowed (repeatable)              [RELAY_ALLOW_HOSTS, comma-separated]
                         (older names: --allowed-origin, --allowed-host, RELAY_ALLOWED_ORIGINS, RELAY_ALLOWED_HOSTS)
  --tls-cert FILE        serve https with this PEM certificate       [RELAY_TLS_CERT]
  --tls-key FILE         and its PEM private key                     [RELAY_TLS_KEY]
  --trust-proxy          behind a reverse proxy that terminates TLS  [RELAY_TRUST_PROXY]
  --proxy-address IP     the proxy whose X-Forwarded-Proto/-Host count (repeatable; default loopback) [RELAY_PROXY_ADDRESSES]
  --advertise-url URL    team mode: the URL other members reach this relay at (default: the listening URL,
                         or the first --allow-host on 0.0.0.0) [RELAY_ADVERTISE_URL]
                         Any --host but loopback needs TLS (--tls-cert/--tls-key or --trust-proxy),
                         at least one --allow-host and one --allow-origin (docs/exposure.md)
  --log-level L          debug, info, warn or error                  [RELAY_LOG_LEVEL]
  --demo                 run against the built-in 3CX simulator with generated call records [RELAY_DEMO]
  (env only)             first admin's password                      [RELAY_ADMIN_PASSWORD]
`;
