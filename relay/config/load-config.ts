// Headless settings: flag beats env beats --config file beats default, as the
// contract's table says. Validation errors name where the bad value came from.
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
import { isLoopbackHost } from '../contract/loopback.js';
import { passwordInUrl } from '../core/redact.js';
import type { IniSectionNames } from '../pbx/pbx-config.js';

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
}

export interface LoadedConfig {
  config: RelayConfig;
  /** Things a person should see at start-up (non-loopback host, half-configured PBX). */
  warnings: string[];
  logLevel: LogLevel;
  help: boolean;
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
  if (!isLoopbackHost(host)) {
    warnings.push(`listening on ${host}, which is not a loopback address: other machines can reach the relay's API`);
  }

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

  const logLevelRaw = pick('logLevel') ?? 'info';
  if (!LOG_LEVELS.includes(logLevelRaw as LogLevel)) fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')}`);

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
    ...(adminPassword ? { adminPassword } : {}),
    demo,
    version: input.version,
  };
  return { config, warnings, logLevel: logLevelRaw as LogLevel, help: flags.help ?? false };
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
  --allowed-origin O     extra browser origin allowed (repeatable)   [RELAY_ALLOWED_ORIGINS, comma-separated]
  --allowed-host H       extra Host name allowed (repeatable)        [RELAY_ALLOWED_HOSTS, comma-separated]
  --log-level L          debug, info, warn or error                  [RELAY_LOG_LEVEL]
  --demo                 run against the built-in 3CX simulator with generated call records
  (env only)             first admin's password                      [RELAY_ADMIN_PASSWORD]
`;
