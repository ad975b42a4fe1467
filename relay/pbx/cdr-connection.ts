// Where the 3CX database is: a postgres:// URL, or the PBX's own
// 3CXPhoneSystem.ini. The ini's names are those public integrators' code
// reads (docs/3cx-v20.md; V20 [unconfirmed], so the section names are
// configurable): [CfgServerProfile] DBHost/DBPort/MasterDBUser/
// MasterDBPassword, [QMDatabase] DBName/DBHost/DBPort, [DbAdminREADONLY]
// User/Password. The read-only user is preferred; the master user (which can
// write) is used only when it is all there is, with a warning.
import { readFile } from 'node:fs/promises';
import { RelayError } from '../core/relay-error.js';
import type { CdrConfig, IniSectionNames } from './pbx-config.js';

export type { IniSectionNames };

export interface CdrConnectionParams {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
}

/** What pg.Pool needs, plus a description safe for logs (no password) and what to warn about. */
export interface CdrConnection {
  pg: { connectionString: string } | CdrConnectionParams;
  describe: string;
  /** Said once when the pool is created, e.g. "only the master user was found". */
  warnings?: string[];
}

/** 3CX V20's defaults: PostgreSQL on port 5480, database `database_single`. [unconfirmed] */
export const CDR_DEFAULT_PORT = 5480;
export const CDR_DEFAULT_DATABASE = 'database_single';
export const CDR_DEFAULT_HOST = '127.0.0.1';

export const DEFAULT_INI_SECTIONS: Readonly<IniSectionNames> = { server: 'CfgServerProfile', database: 'QMDatabase', readonly: 'DbAdminREADONLY' };

/** Where 3CX keeps the file on V20, then on older installs. */
export const DEFAULT_INI_PATHS = ['/var/lib/3cxpbx/Bin/3CXPhoneSystem.ini', '/var/lib/3cxpbx/Instance1/Bin/3CXPhoneSystem.ini'] as const;

type IniDoc = Map<string, Map<string, string>>;

/**
 * Sections and keys (both case-insensitive) of an ini text. Written here
 * rather than with the `ini` package because that one cuts a value at an
 * inline `;` or `#`, and a generated database password may hold both: only a
 * line that STARTS with `;` or `#` is a comment. Surrounding quotes are removed.
 */
export function readIni(text: string): IniDoc {
  const doc: IniDoc = new Map();
  let section: Map<string, string> | null = null;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      const name = header[1]!.trim().toLowerCase();
      section = doc.get(name) ?? new Map<string, string>();
      doc.set(name, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || !section) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    const quoted = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
    if (!section.has(key)) section.set(key, quoted ? quoted[1]! : value);
  }
  return doc;
}

export interface IniCdrParams {
  params: CdrConnectionParams;
  warnings: string[];
}

/** Connection parameters from the text of a 3CXPhoneSystem.ini, with the section names given (default: 3CX's). */
export function cdrParamsFromIni(text: string, sections: Partial<IniSectionNames> = {}): IniCdrParams {
  const names: IniSectionNames = { ...DEFAULT_INI_SECTIONS, ...Object.fromEntries(Object.entries(sections).filter(([, v]) => v)) };
  const doc = readIni(text);
  const server = doc.get(names.server.toLowerCase());
  const database = doc.get(names.database.toLowerCase());
  const readonly = doc.get(names.readonly.toLowerCase());
  const listed = `[${names.server}], [${names.database}] or [${names.readonly}]`;
  if (!server && !database && !readonly) {
    throw RelayError.badRequest(
      `3CXPhoneSystem.ini has none of the sections ${listed}; if this 3CX release names them differently, set the section names in the settings`,
    );
  }
  const get = (s: Map<string, string> | undefined, key: string) => s?.get(key.toLowerCase()) || undefined;
  const warnings: string[] = [];
  let user = get(readonly, 'User');
  let password = get(readonly, 'Password');
  if (!user) {
    user = get(server, 'MasterDBUser');
    password = get(server, 'MasterDBPassword');
    if (!user) {
      throw RelayError.badRequest(
        `3CXPhoneSystem.ini names no database user: looked for User in [${names.readonly}] and MasterDBUser in [${names.server}]`,
      );
    }
    warnings.push(
      `3CXPhoneSystem.ini has no read-only user (User in [${names.readonly}]); using the master user "${user}" from [${names.server}], ` +
        'which can write: the relay only reads, but a read-only login is safer',
    );
  }
  const portText = get(server, 'DBPort') ?? get(database, 'DBPort');
  const port = portText === undefined ? CDR_DEFAULT_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? '5480') || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw RelayError.badRequest(`3CXPhoneSystem.ini has an invalid DBPort "${portText}"`);
  }
  return {
    params: {
      host: get(server, 'DBHost') ?? get(database, 'DBHost') ?? CDR_DEFAULT_HOST,
      port,
      database: get(database, 'DBName') ?? CDR_DEFAULT_DATABASE,
      user,
      ...(password !== undefined ? { password } : {}),
    },
    warnings,
  };
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
  const { path, text } = await readIniFile(config.iniPath ? [config.iniPath] : DEFAULT_INI_PATHS);
  const { params, warnings } = cdrParamsFromIni(text, config.iniSections);
  return { pg: params, describe: `${params.user}@${params.host}:${params.port}/${params.database} (from ${path})`, warnings };
}

/** The first of `paths` that reads, or one error naming each path tried and why it failed. */
async function readIniFile(paths: readonly string[]): Promise<{ path: string; text: string }> {
  const failures: string[] = [];
  for (const path of paths) {
    try {
      return { path, text: await readFile(path, 'utf8') };
    } catch (e) {
      failures.push(`${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  throw RelayError.badRequest(`cannot read 3CXPhoneSystem.ini at ${failures.join(' or ')}`);
}
