// Where the 3CX database is: a postgres:// URL, or the PBX's own
// 3CXPhoneSystem.ini. The ini's section and key names vary between 3CX
// releases [unconfirmed in the reference], so the section is configurable and
// several key spellings are tried: DBHost/DBPort/DBName/DBUser/DBPassword
// style first, then the older [CallReports] SERVER/PORT/DATABASE/USERNAME/PASSWORD.
import { readFile } from 'node:fs/promises';
import { parse as parseIni } from 'ini';
import { RelayError } from '../core/relay-error.js';
import type { CdrConfig } from './pbx-config.js';

export interface CdrConnectionParams {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
}

/** What pg.Pool needs, plus a description safe for logs (no password). */
export interface CdrConnection {
  pg: { connectionString: string } | CdrConnectionParams;
  describe: string;
}

/** 3CX V20's defaults: PostgreSQL on port 5480, database `database_single`. [unconfirmed] */
export const CDR_DEFAULT_PORT = 5480;
export const CDR_DEFAULT_DATABASE = 'database_single';
export const CDR_DEFAULT_HOST = '127.0.0.1';

/** Sections tried, in order, when none is configured. */
export const INI_SECTIONS = ['Reporting', 'ReportDB', 'ReportsDB', 'Database', 'DB', 'CallReports'] as const;

const KEYS = {
  host: ['dbhost', 'host', 'server', 'dbserver', 'hostname'],
  port: ['dbport', 'port'],
  database: ['dbname', 'database', 'db', 'dbdatabase'],
  user: ['dbuser', 'user', 'username', 'userid', 'dbusername', 'login'],
  password: ['dbpassword', 'password', 'pass', 'pwd', 'dbpass'],
} as const;

type IniSection = Record<string, unknown>;

/**
 * The text after `key=` on the key's own line inside `[section]`, unquoted.
 * The ini package cuts values at an inline `;` or `#`, which a generated
 * database password may contain; the raw line keeps them.
 */
function rawIniValue(text: string, section: string, key: string): string | undefined {
  let inSection = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[(.+?)\]\s*$/.exec(line);
    if (header) {
      inSection = header[1]!.trim().toLowerCase() === section.toLowerCase();
      continue;
    }
    if (!inSection) continue;
    const eq = line.indexOf('=');
    if (eq < 0 || line.slice(0, eq).trim().toLowerCase() !== key.toLowerCase()) continue;
    const value = line.slice(eq + 1).trim();
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
    return quoted ? quoted[1] : value;
  }
  return undefined;
}

function pick(section: IniSection, names: readonly string[], raw: (key: string) => string | undefined): string | undefined {
  for (const [key, value] of Object.entries(section)) {
    if (names.includes(key.toLowerCase()) && (typeof value === 'string' || typeof value === 'number')) {
      const text = (raw(key) ?? String(value)).trim();
      if (text) return text;
    }
  }
  return undefined;
}

function findSection(doc: Record<string, unknown>, name: string): [string, IniSection] | undefined {
  const entry = Object.entries(doc).find(([k, v]) => k.toLowerCase() === name.toLowerCase() && v && typeof v === 'object');
  return entry ? [entry[0], entry[1] as IniSection] : undefined;
}

/**
 * Connection parameters from the text of a 3CXPhoneSystem.ini. With
 * `section` only that section is read; otherwise the first of INI_SECTIONS
 * that names a user is used.
 */
export function cdrParamsFromIni(text: string, section?: string): CdrConnectionParams {
  const doc = parseIni(text) as Record<string, unknown>;
  const candidates = section ? [section] : [...INI_SECTIONS];
  for (const name of candidates) {
    const found = findSection(doc, name);
    if (!found) continue;
    const [sectionName, s] = found;
    const raw = (key: string) => rawIniValue(text, sectionName, key);
    const user = pick(s, KEYS.user, raw);
    if (!user) continue;
    const portText = pick(s, KEYS.port, raw);
    const port = portText === undefined ? CDR_DEFAULT_PORT : Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw RelayError.badRequest(`3CXPhoneSystem.ini section [${name}] has an invalid port "${portText}"`);
    }
    const password = pick(s, KEYS.password, raw);
    return {
      host: pick(s, KEYS.host, raw) ?? CDR_DEFAULT_HOST,
      port,
      database: pick(s, KEYS.database, raw) ?? CDR_DEFAULT_DATABASE,
      user,
      ...(password !== undefined ? { password } : {}),
    };
  }
  const where = section ? `section [${section}]` : `any of the sections ${INI_SECTIONS.map((s) => `[${s}]`).join(', ')}`;
  throw RelayError.badRequest(`3CXPhoneSystem.ini has no database user in ${where}; name the section that holds the database login`);
}

/** Validate a postgres:// URL and describe it without its password. */
export function cdrConnectionFromUrl(raw: string): CdrConnection {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw RelayError.badRequest('the CDR database setting is not a URL; use postgres://user:password@host:5480/database_single');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw RelayError.badRequest(`the CDR database URL must start with postgres:// (got ${url.protocol})`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || CDR_DEFAULT_DATABASE;
  const user = decodeURIComponent(url.username);
  const describe = `${user ? `${user}@` : ''}${url.hostname}:${url.port || '5432'}/${database}`;
  return { pg: { connectionString: raw }, describe };
}

/** Resolve a CdrConfig; reads the ini file each time so a fixed file is picked up on reconnect. */
export async function resolveCdrConnection(config: CdrConfig): Promise<CdrConnection> {
  if ('url' in config) return cdrConnectionFromUrl(config.url);
  let text: string;
  try {
    text = await readFile(config.iniPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw RelayError.badRequest(`cannot read 3CXPhoneSystem.ini at ${config.iniPath} (${code})`);
  }
  const params = cdrParamsFromIni(text, config.iniSection);
  return { pg: params, describe: `${params.user}@${params.host}:${params.port}/${params.database}` };
}
