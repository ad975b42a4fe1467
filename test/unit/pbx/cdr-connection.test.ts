import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CDR_DEFAULT_DATABASE,
  CDR_DEFAULT_PORT,
  DEFAULT_INI_PATHS,
  cdrConnectionFromUrl,
  cdrParamsFromIni,
  readIni,
  resolveCdrConnection,
} from '../../../relay/pbx/cdr-connection.js';
import { RelayError } from '../../../relay/core/relay-error.js';

// The shapes integrators' code reads from 3CXPhoneSystem.ini (docs/3cx-v20.md).
const PASSWORD = 'r0;ly#pw=x';
const FULL = `
; 3CX Phone System configuration
[General]
Version=20.0.7.1080
[CfgServerProfile]
DBHost=127.0.0.1
DBPort=5480
MasterDBUser=phonesystem
MasterDBPassword=m@ster;pw#1
[QMDatabase]
DBName=database_single
DBHost=127.0.0.1
DBPort=5480
[DbAdminREADONLY]
User=logsreader_single
Password=${PASSWORD}
`;
const MASTER_ONLY = `
[CfgServerProfile]
DBHost=10.0.0.5
DBPort=5432
MasterDBUser=phonesystem
MasterDBPassword=m@ster;pw#1
[QMDatabase]
DBName=database_single
`;

describe('cdrParamsFromIni', () => {
  it('reads host and port from [CfgServerProfile], the database from [QMDatabase], the login from [DbAdminREADONLY]', () => {
    expect(cdrParamsFromIni(FULL)).toEqual({
      params: { host: '127.0.0.1', port: 5480, database: 'database_single', user: 'logsreader_single', password: PASSWORD },
      warnings: [],
    });
  });

  it('falls back to the master user and says so', () => {
    const { params, warnings } = cdrParamsFromIni(MASTER_ONLY);
    expect(params).toEqual({ host: '10.0.0.5', port: 5432, database: 'database_single', user: 'phonesystem', password: 'm@ster;pw#1' });
    expect(warnings).toEqual([expect.stringMatching(/no read-only user \(User in \[DbAdminREADONLY\]\); using the master user "phonesystem" from \[CfgServerProfile\], which can write/)]);
  });

  it('takes host and port from [QMDatabase] when [CfgServerProfile] lacks them, and 3CX defaults otherwise', () => {
    expect(cdrParamsFromIni('[QMDatabase]\nDBHost=db.local\nDBPort=6000\n[DbAdminREADONLY]\nUser=r\n').params).toEqual({ host: 'db.local', port: 6000, database: CDR_DEFAULT_DATABASE, user: 'r' });
    expect(cdrParamsFromIni('[DbAdminREADONLY]\nUser=r\nPassword=p\n').params).toEqual({ host: '127.0.0.1', port: CDR_DEFAULT_PORT, database: 'database_single', user: 'r', password: 'p' });
  });

  it('reads configured section names, case-insensitive names and keys', () => {
    const text = '[Srv]\ndbhost=h\n[Ro]\nuser=u1\npassword=p1\n[qmdatabase]\ndbname=other\n';
    expect(cdrParamsFromIni(text, { server: 'srv', readonly: 'RO' }).params).toEqual({ host: 'h', port: 5480, database: 'other', user: 'u1', password: 'p1' });
    // Empty names mean the default.
    expect(cdrParamsFromIni(FULL, { server: '', database: '', readonly: '' }).params.user).toBe('logsreader_single');
  });

  it('gives one clear error naming the sections it looked for when none is there', () => {
    expect(() => cdrParamsFromIni('[General]\nA=1\n[Reporting]\nDBUser=x\n')).toThrow(
      '3CXPhoneSystem.ini has none of the sections [CfgServerProfile], [QMDatabase] or [DbAdminREADONLY]; if this 3CX release names them differently, set the section names in the settings',
    );
    expect(() => cdrParamsFromIni(FULL, { server: 'A', database: 'B', readonly: 'C' })).toThrow(/none of the sections \[A\], \[B\] or \[C\]/);
  });

  it('explains a missing user and a bad port', () => {
    expect(() => cdrParamsFromIni('[QMDatabase]\nDBName=x\n')).toThrow(/names no database user: looked for User in \[DbAdminREADONLY\] and MasterDBUser in \[CfgServerProfile\]/);
    expect(() => cdrParamsFromIni('[CfgServerProfile]\nDBPort=ninety\n[DbAdminREADONLY]\nUser=x\n')).toThrow(/invalid DBPort "ninety"/);
  });
});

describe('readIni: values with comment characters', () => {
  it('keeps ; and # inside a value whole (the ini package would cut it); only whole-line comments are dropped', () => {
    const doc = readIni('; comment\n# another\n[S]\nPassword = ab;cd#ef \nQuoted="q;uoted"\nSingle=\'x#y\'\n');
    expect([...doc.get('s')!.entries()]).toEqual([['password', 'ab;cd#ef'], ['quoted', 'q;uoted'], ['single', 'x#y']]);
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

  it('reads the ini file at the given path, with its section names, and passes the warnings on', async () => {
    const file = path.join(dir, '3CXPhoneSystem.ini');
    await writeFile(file, FULL);
    const c = await resolveCdrConnection({ iniPath: file });
    expect(c.pg).toMatchObject({ user: 'logsreader_single', port: 5480, password: PASSWORD });
    expect(c.describe).toBe(`logsreader_single@127.0.0.1:5480/database_single (from ${file})`);
    expect(c.describe).not.toContain(PASSWORD);
    expect(c.warnings).toEqual([]);
    await writeFile(file, MASTER_ONLY.replace('[CfgServerProfile]', '[Server]'));
    const renamed = await resolveCdrConnection({ iniPath: file, iniSections: { server: 'Server' } });
    expect(renamed.pg).toMatchObject({ user: 'phonesystem', host: '10.0.0.5' });
    expect(renamed.warnings).toEqual([expect.stringContaining('master user')]);
  });

  it("tries 3CX's V20 path, then the older Instance1 path, when no path is given", async () => {
    expect(DEFAULT_INI_PATHS).toEqual(['/var/lib/3cxpbx/Bin/3CXPhoneSystem.ini', '/var/lib/3cxpbx/Instance1/Bin/3CXPhoneSystem.ini']);
    // Neither exists on a test machine: the error names both, in order.
    await expect(resolveCdrConnection({})).rejects.toThrow(
      'cannot read 3CXPhoneSystem.ini at /var/lib/3cxpbx/Bin/3CXPhoneSystem.ini (ENOENT) or /var/lib/3cxpbx/Instance1/Bin/3CXPhoneSystem.ini (ENOENT)',
    );
  });

  it('reports an unreadable file with its path and reason, not a stack', async () => {
    const missing = path.join(dir, 'nope.ini');
    await expect(resolveCdrConnection({ iniPath: missing })).rejects.toThrow(`cannot read 3CXPhoneSystem.ini at ${missing} (ENOENT)`);
  });
});
