// The three places a setting can come from, each read into the same raw
// shape (camelCase keys, strings as given) with a note of where it came from,
// so a validation error can name the flag, variable or file that set it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { passwordInUrl } from '../core/redact.js';
import type { QueueCallsMappingOverride } from '../pbx/queue-calls-query.js';

/** `--pbx-ini default`: try 3CX's own locations (/var/lib/3cxpbx/Bin, then Instance1/Bin). */
export const INI_DEFAULT_LOCATION = 'default';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Every setting, raw. Lists are already split. */
export interface RawSettings {
  config?: string;
  host?: string;
  port?: string;
  pbxUrl?: string;
  clientId?: string;
  clientSecret?: string;
  cdrDb?: string;
  pbxIni?: string;
  pbxIniServerSection?: string;
  pbxIniDatabaseSection?: string;
  pbxIniReadonlySection?: string;
  dataDir?: string;
  storeUrl?: string;
  dashboardDir?: string;
  /** --allow-origin and its older name --allowed-origin, merged. */
  allowedOrigins?: string[];
  /** --allow-host and its older name --allowed-host, merged. */
  allowedHostNames?: string[];
  tlsCert?: string;
  tlsKey?: string;
  trustProxy?: boolean;
  proxyAddresses?: string[];
  advertiseUrl?: string;
  demo?: boolean;
  logLevel?: string;
  /** Config file only: 3CX's queue-call table and column names, where an update renamed them. */
  queueCallsMapping?: QueueCallsMappingOverride;
  help?: boolean;
}
export type SettingName = keyof RawSettings;

/** flag name, env name per setting; used for parsing and in error messages. */
export const SETTING_NAMES: Record<Exclude<SettingName, 'help'>, { flag?: string; env?: string }> = {
  config: { flag: '--config', env: 'RELAY_CONFIG' },
  host: { flag: '--host', env: 'RELAY_HOST' },
  port: { flag: '--port', env: 'RELAY_PORT' },
  pbxUrl: { flag: '--pbx-url', env: 'RELAY_PBX_URL' },
  clientId: { flag: '--client-id', env: 'RELAY_PBX_CLIENT_ID' },
  clientSecret: { env: 'RELAY_PBX_CLIENT_SECRET' },
  cdrDb: { flag: '--cdr-db', env: 'RELAY_CDR_DB_URL' },
  pbxIni: { flag: '--pbx-ini', env: 'RELAY_PBX_INI' },
  pbxIniServerSection: { flag: '--pbx-ini-server-section', env: 'RELAY_PBX_INI_SERVER_SECTION' },
  pbxIniDatabaseSection: { flag: '--pbx-ini-database-section', env: 'RELAY_PBX_INI_DATABASE_SECTION' },
  pbxIniReadonlySection: { flag: '--pbx-ini-readonly-section', env: 'RELAY_PBX_INI_READONLY_SECTION' },
  dataDir: { flag: '--data-dir', env: 'RELAY_DATA_DIR' },
  storeUrl: { flag: '--store-url', env: 'RELAY_STORE_URL' },
  dashboardDir: { flag: '--dashboard-dir', env: 'RELAY_DASHBOARD_DIR' },
  allowedOrigins: { flag: '--allow-origin', env: 'RELAY_ALLOW_ORIGINS' },
  allowedHostNames: { flag: '--allow-host', env: 'RELAY_ALLOW_HOSTS' },
  tlsCert: { flag: '--tls-cert', env: 'RELAY_TLS_CERT' },
  tlsKey: { flag: '--tls-key', env: 'RELAY_TLS_KEY' },
  trustProxy: { flag: '--trust-proxy', env: 'RELAY_TRUST_PROXY' },
  proxyAddresses: { flag: '--proxy-address', env: 'RELAY_PROXY_ADDRESSES' },
  advertiseUrl: { flag: '--advertise-url', env: 'RELAY_ADVERTISE_URL' },
  demo: { flag: '--demo', env: 'RELAY_DEMO' },
  logLevel: { flag: '--log-level', env: 'RELAY_LOG_LEVEL' },
  queueCallsMapping: {},
};

// Secrets passed as flags show in `ps` and shell history: refuse them by name.
const SECRET_FLAGS: Record<string, string> = {
  '--client-secret': 'the 3CX client secret is read only from the RELAY_PBX_CLIENT_SECRET environment variable (a flag would show in `ps`)',
  '--pbx-client-secret': 'the 3CX client secret is read only from the RELAY_PBX_CLIENT_SECRET environment variable (a flag would show in `ps`)',
  '--admin-password': 'the first admin password is read only from the RELAY_ADMIN_PASSWORD environment variable (a flag would show in `ps`)',
};

/** A list given under its contract name and its older alias in one place: both count. */
function merged(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  return a === undefined && b === undefined ? undefined : [...(a ?? []), ...(b ?? [])];
}

export function readFlags(argv: readonly string[]): RawSettings {
  for (const arg of argv) {
    const name = arg.split('=')[0]!;
    if (SECRET_FLAGS[name]) throw new ConfigError(`${name} is not accepted: ${SECRET_FLAGS[name]}`);
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'pbx-url': { type: 'string' },
        'client-id': { type: 'string' },
        'cdr-db': { type: 'string' },
        'pbx-ini': { type: 'string' },
        'pbx-ini-server-section': { type: 'string' },
        'pbx-ini-database-section': { type: 'string' },
        'pbx-ini-readonly-section': { type: 'string' },
        'data-dir': { type: 'string' },
        'store-url': { type: 'string' },
        'dashboard-dir': { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        'allow-host': { type: 'string', multiple: true },
        // The names before contract §7, kept as aliases.
        'allowed-origin': { type: 'string', multiple: true },
        'allowed-host': { type: 'string', multiple: true },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'trust-proxy': { type: 'boolean' },
        'proxy-address': { type: 'string', multiple: true },
        'advertise-url': { type: 'string' },
        demo: { type: 'boolean' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new ConfigError(`${(e as Error).message}; run with --help for the list of flags`);
  }
  return {
    config: values.config as string | undefined,
    host: values.host as string | undefined,
    port: values.port as string | undefined,
    pbxUrl: values['pbx-url'] as string | undefined,
    clientId: values['client-id'] as string | undefined,
    cdrDb: values['cdr-db'] as string | undefined,
    pbxIni: values['pbx-ini'] as string | undefined,
    pbxIniServerSection: values['pbx-ini-server-section'] as string | undefined,
    pbxIniDatabaseSection: values['pbx-ini-database-section'] as string | undefined,
    pbxIniReadonlySection: values['pbx-ini-readonly-section'] as string | undefined,
    dataDir: values['data-dir'] as string | undefined,
    storeUrl: values['store-url'] as string | undefined,
    dashboardDir: values['dashboard-dir'] as string | undefined,
    allowedOrigins: merged(values['allow-origin'] as string[] | undefined, values['allowed-origin'] as string[] | undefined),
    allowedHostNames: merged(values['allow-host'] as string[] | undefined, values['allowed-host'] as string[] | undefined),
    tlsCert: values['tls-cert'] as string | undefined,
    tlsKey: values['tls-key'] as string | undefined,
    trustProxy: values['trust-proxy'] as boolean | undefined,
    proxyAddresses: values['proxy-address'] as string[] | undefined,
    advertiseUrl: values['advertise-url'] as string | undefined,
    demo: values.demo as boolean | undefined,
    logLevel: values['log-level'] as string | undefined,
    help: values.help as boolean | undefined,
  };
}

const list = (v: string | undefined) =>
  v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
const bool = (v: string | undefined) => (v === undefined || v === '' ? undefined : /^(1|true|yes|on)$/i.test(v));

export function readEnv(env: Readonly<Record<string, string | undefined>>): RawSettings {
  const e = (name: string) => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    config: e('RELAY_CONFIG'),
    host: e('RELAY_HOST'),
    port: e('RELAY_PORT'),
    pbxUrl: e('RELAY_PBX_URL'),
    clientId: e('RELAY_PBX_CLIENT_ID'),
    clientSecret: e('RELAY_PBX_CLIENT_SECRET'),
    cdrDb: e('RELAY_CDR_DB_URL'),
    pbxIni: e('RELAY_PBX_INI'),
    pbxIniServerSection: e('RELAY_PBX_INI_SERVER_SECTION'),
    pbxIniDatabaseSection: e('RELAY_PBX_INI_DATABASE_SECTION'),
    pbxIniReadonlySection: e('RELAY_PBX_INI_READONLY_SECTION'),
    dataDir: e('RELAY_DATA_DIR'),
    storeUrl: e('RELAY_STORE_URL'),
    dashboardDir: e('RELAY_DASHBOARD_DIR'),
    allowedOrigins: merged(list(e('RELAY_ALLOW_ORIGINS')), list(e('RELAY_ALLOWED_ORIGINS'))),
    allowedHostNames: merged(list(e('RELAY_ALLOW_HOSTS')), list(e('RELAY_ALLOWED_HOSTS'))),
    tlsCert: e('RELAY_TLS_CERT'),
    tlsKey: e('RELAY_TLS_KEY'),
    trustProxy: bool(e('RELAY_TRUST_PROXY')),
    proxyAddresses: list(e('RELAY_PROXY_ADDRESSES')),
    advertiseUrl: e('RELAY_ADVERTISE_URL'),
    demo: bool(e('RELAY_DEMO')),
    logLevel: e('RELAY_LOG_LEVEL'),
  };
}

const stringish = z.union([z.string(), z.number()]).transform(String);
const configFileSchema = z.object({
  host: z.string().optional(),
  port: stringish.optional(),
  pbxUrl: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  cdrDb: z.string().optional(),
  cdrDbUrl: z.string().optional(),
  pbxIni: z.string().optional(),
  pbxIniServerSection: z.string().optional(),
  pbxIniDatabaseSection: z.string().optional(),
  pbxIniReadonlySection: z.string().optional(),
  dataDir: z.string().optional(),
  storeUrl: z.string().optional(),
  dashboardDir: z.string().optional(),
  allowOrigins: z.array(z.string()).optional(),
  allowHosts: z.array(z.string()).optional(),
  allowedOrigins: z.array(z.string()).optional(),
  allowedHostNames: z.array(z.string()).optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  trustProxy: z.boolean().optional(),
  proxyAddresses: z.array(z.string()).optional(),
  advertiseUrl: z.string().optional(),
  demo: z.boolean().optional(),
  logLevel: z.string().optional(),
  queueCallsMapping: z.object({
    table: z.string(),
    queue: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    wait: z.array(z.string()).min(1),
    talk: z.string(),
    agent: z.string(),
    durations: z.enum(['interval', 'seconds']),
  }).partial().strict().optional(),
}).strict();

export interface FileAccess {
  readFile(p: string): string;
  /** POSIX permission bits, or null where they mean nothing (Windows). */
  mode(p: string): number | null;
}

export const realFileAccess: FileAccess = {
  readFile: (p) => fs.readFileSync(p, 'utf8'),
  mode: (p) => (process.platform === 'win32' ? null : fs.statSync(p).mode & 0o777),
};

/** The secrets a config file's settings carry: the client secret, and a password inside a database URL. */
function secretsHeld(v: z.infer<typeof configFileSchema>): { what: string; env: string }[] {
  const held: { what: string; env: string }[] = [];
  if (v.clientSecret !== undefined) held.push({ what: '"clientSecret"', env: 'RELAY_PBX_CLIENT_SECRET' });
  const cdr = v.cdrDb ?? v.cdrDbUrl;
  if (passwordInUrl(cdr)) held.push({ what: `a password in "${v.cdrDb ? 'cdrDb' : 'cdrDbUrl'}"`, env: 'RELAY_CDR_DB_PASSWORD' });
  if (passwordInUrl(v.storeUrl)) held.push({ what: 'a password in "storeUrl"', env: 'RELAY_STORE_URL' });
  return held;
}

export function readConfigFile(file: string, access: FileAccess): RawSettings {
  let text: string;
  try {
    text = access.readFile(file);
  } catch (e) {
    throw new ConfigError(`cannot read the config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`the config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `key "${issue.path.join('.')}"` : 'top level';
    const what = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    throw new ConfigError(`the config file ${file}, ${where}: ${what}`);
  }
  const v = parsed.data;
  if (v.cdrDb && v.cdrDbUrl) throw new ConfigError(`the config file ${file} sets both "cdrDb" and "cdrDbUrl"; keep one`);
  const held = secretsHeld(v);
  if (held.length) {
    const mode = access.mode(file);
    // A secret on disk is tolerated only where no other user can read it (as ssh refuses a loose key).
    if (mode !== null && (mode & 0o077) !== 0) {
      throw new ConfigError(
        `the config file ${file} holds ${held.map((h) => h.what).join(' and ')} but other users can read it ` +
          `(mode ${mode.toString(8)}); run \`chmod 600 ${file}\` or move ${held.length > 1 ? 'them' : 'it'} to ` +
          `${held.map((h) => h.env).join(' / ')}`,
      );
    }
  }
  // Paths in a config file are relative to the file, not to where the relay was started.
  const dir = path.dirname(path.resolve(file));
  const rel = (p: string | undefined) => (p === undefined ? undefined : path.resolve(dir, p));
  return {
    host: v.host,
    port: v.port,
    pbxUrl: v.pbxUrl,
    clientId: v.clientId,
    clientSecret: v.clientSecret,
    cdrDb: v.cdrDb ?? v.cdrDbUrl,
    // `default` asks for 3CX's own locations, not a file named "default".
    pbxIni: v.pbxIni === INI_DEFAULT_LOCATION ? v.pbxIni : rel(v.pbxIni),
    pbxIniServerSection: v.pbxIniServerSection,
    pbxIniDatabaseSection: v.pbxIniDatabaseSection,
    pbxIniReadonlySection: v.pbxIniReadonlySection,
    dataDir: rel(v.dataDir),
    storeUrl: v.storeUrl,
    dashboardDir: rel(v.dashboardDir),
    allowedOrigins: merged(v.allowOrigins, v.allowedOrigins),
    allowedHostNames: merged(v.allowHosts, v.allowedHostNames),
    tlsCert: rel(v.tlsCert),
    tlsKey: rel(v.tlsKey),
    trustProxy: v.trustProxy,
    proxyAddresses: v.proxyAddresses,
    advertiseUrl: v.advertiseUrl,
    demo: v.demo,
    logLevel: v.logLevel,
    queueCallsMapping: v.queueCallsMapping,
  };
}
