import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CDR_DEFAULT_DATABASE,
  CDR_DEFAULT_PORT,
  cdrConnectionFromUrl,
  cdrParamsFromIni,
  resolveCdrConnection,
} from '../../../relay/pbx/cdr-connection.js';
import { RelayError } from '../../../relay/core/relay-error.js';

const V20_STYLE = `
[General]
Version=20.0.0
[Reporting]
DBHost=127.0.0.1
DBPort=5480
DBName=database_single
DBUser=logsreader_single
DBPassword=s3cr3t;with=chars
`;

const V18_STYLE = `
; older installs
[CallReports]
SERVER=10.0.0.5
PORT=5432
DATABASE=phonesystem
USERNAME=logsreader
PASSWORD=oldpass
`;

describe('cdrParamsFromIni', () => {
  it('reads DBHost/DBPort/DBName/DBUser/DBPassword keys from the reporting section', () => {
    expect(cdrParamsFromIni(V20_STYLE)).toEqual({
      host: '127.0.0.1', port: 5480, database: 'database_single', user: 'logsreader_single', password: 's3cr3t;with=chars',
    });
  });

  it('falls back to [CallReports] SERVER/PORT/DATABASE/USERNAME/PASSWORD', () => {
    expect(cdrParamsFromIni(V18_STYLE)).toEqual({ host: '10.0.0.5', port: 5432, database: 'phonesystem', user: 'logsreader', password: 'oldpass' });
  });

  it('prefers the reporting section when both exist', () => {
    expect(cdrParamsFromIni(V18_STYLE + V20_STYLE).user).toBe('logsreader_single');
  });

  it('reads a configured section only, with case-insensitive names and keys', () => {
    const text = `[MyDb]\ndbuser=u1\ndbpassword=p1\n${V20_STYLE}`;
    expect(cdrParamsFromIni(text, 'mydb')).toEqual({ host: '127.0.0.1', port: CDR_DEFAULT_PORT, database: CDR_DEFAULT_DATABASE, user: 'u1', password: 'p1' });
    expect(() => cdrParamsFromIni(V20_STYLE, 'Missing')).toThrow(/section \[Missing\]/);
  });

  it('applies 3CX defaults for host, port and database when absent', () => {
    expect(cdrParamsFromIni('[Reporting]\nDBUser=x\n')).toEqual({ host: '127.0.0.1', port: 5480, database: 'database_single', user: 'x' });
  });

  it('explains what is missing', () => {
    expect(() => cdrParamsFromIni('[General]\nA=1\n')).toThrow(/no database user in any of the sections/);
    expect(() => cdrParamsFromIni('[Reporting]\nDBUser=x\nDBPort=ninety\n')).toThrow(/invalid port "ninety"/);
  });
});

describe('cdrConnectionFromUrl', () => {
  it('passes the URL to pg and describes it without the password', () => {
    const c = cdrConnectionFromUrl('postgres://logsreader_single:Top%20Secret@pbx.local:5480/database_single');
    expect(c.pg).toEqual({ connectionString: 'postgres://logsreader_single:Top%20Secret@pbx.local:5480/database_single' });
    expect(c.describe).toBe('logsreader_single@pbx.local:5480/database_single');
    expect(c.describe).not.toMatch(/Secret/);
  });

  it('refuses other schemes and non-URLs with bad_request', () => {
    expect(() => cdrConnectionFromUrl('mysql://a@b/c')).toThrow(RelayError);
    expect(() => cdrConnectionFromUrl('not a url')).toThrow(/not a URL/);
  });
});

describe('resolveCdrConnection', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'relay-ini-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the ini file at the given path and section', async () => {
    const file = path.join(dir, '3CXPhoneSystem.ini');
    await writeFile(file, V18_STYLE + V20_STYLE);
    const viaDefault = await resolveCdrConnection({ iniPath: file });
    expect(viaDefault.pg).toMatchObject({ user: 'logsreader_single', port: 5480 });
    expect(viaDefault.describe).toBe('logsreader_single@127.0.0.1:5480/database_single');
    const viaSection = await resolveCdrConnection({ iniPath: file, iniSection: 'CallReports' });
    expect(viaSection.pg).toMatchObject({ user: 'logsreader', host: '10.0.0.5' });
  });

  it('reports an unreadable file with its path and reason, not a stack', async () => {
    const missing = path.join(dir, 'nope.ini');
    await expect(resolveCdrConnection({ iniPath: missing })).rejects.toThrow(`cannot read 3CXPhoneSystem.ini at ${missing} (ENOENT)`);
  });
});

describe('ini values with comment characters', () => {
  it('keeps a password containing ; and # whole (the ini package would cut it)', () => {
    const p = cdrParamsFromIni('[Reporting]\nDBUser=u\nDBPassword=ab;cd#ef\n');
    expect(p.password).toBe('ab;cd#ef');
    expect(cdrParamsFromIni('[Reporting]\nDBUser=u\nDBPassword="q;uoted"\n').password).toBe('q;uoted');
  });
});
