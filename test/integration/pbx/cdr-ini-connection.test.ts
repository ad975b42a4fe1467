// A 3CXPhoneSystem.ini in the shapes 3CX writes ([CfgServerProfile],
// [QMDatabase], [DbAdminREADONLY]) connects the CDR repository, with a
// password that holds `;` and `#`; with only the master user it still
// connects and says so; a file with none of the sections fails clearly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, memorySink } from '../../../relay/core/logger.js';
import { createReadonlyRole } from '../../../relay/sim/cdr-schema.js';
import { testPostgres, withClient } from '../../support/test-postgres.js';
import { cdrTestRepositories } from './cdr-test-repositories.js';

const ROLE = 'ini_reader';
const PASSWORD = 'r0;ly#pw=1 x';
const FROM = new Date('2000-01-01T00:00:00Z');
const TO = new Date('2100-01-01T00:00:00Z');

describe('CDR repository from a 3CXPhoneSystem.ini', () => {
  const repositories = cdrTestRepositories(() => testPostgres().cdrReadonlyUrl);
  let dir: string;
  let server: { host: string; port: number; database: string };

  beforeAll(async () => {
    const info = testPostgres();
    server = { host: info.host, port: info.port, database: info.cdrDatabase };
    await withClient(info.cdrAdminUrl, (c) => createReadonlyRole(c, ROLE, PASSWORD, info.cdrDatabase));
    dir = await mkdtemp(path.join(tmpdir(), 'relay-ini-'));
  });
  afterAll(async () => {
    await repositories.stopAll();
    await rm(dir, { recursive: true, force: true });
  });

  async function iniFile(name: string, text: string): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  }

  it('connects through the read-only user of [DbAdminREADONLY], password with ; and # intact', async () => {
    const file = await iniFile('full.ini', [
      '[CfgServerProfile]', `DBHost=${server.host}`, `DBPort=${server.port}`, 'MasterDBUser=postgres', 'MasterDBPassword=not;used#here',
      '[QMDatabase]', `DBName=${server.database}`, `DBHost=${server.host}`, `DBPort=${server.port}`,
      '[DbAdminREADONLY]', `User=${ROLE}`, `Password=${PASSWORD}`, '',
    ].join('\n'));
    const sink = memorySink();
    const r = repositories.open({ config: { iniPath: file }, logger: createLogger(sink, { level: 'debug' }) });
    await r.start();
    expect(r.health()).toMatchObject({ state: 'connected', lastError: null });
    expect(Array.isArray((await r.page({ from: FROM, to: TO, limit: 5 })).rows)).toBe(true);
    expect(JSON.stringify(sink.records)).not.toMatch(/master user/);
  });

  it('falls back to the master user of [CfgServerProfile] and warns that it can write', async () => {
    const file = await iniFile('master.ini', [
      '[CfgServerProfile]', `DBHost=${server.host}`, `DBPort=${server.port}`, `MasterDBUser=${ROLE}`, `MasterDBPassword=${PASSWORD}`,
      '[QMDatabase]', `DBName=${server.database}`, '',
    ].join('\r\n'));
    const sink = memorySink();
    const r = repositories.open({ config: { iniPath: file }, logger: createLogger(sink, { level: 'debug' }) });
    await r.start();
    expect(r.health()).toMatchObject({ state: 'connected', lastError: null });
    expect(sink.records.filter((x) => x.level === 'warn').map((x) => String(x.msg))).toContainEqual(expect.stringMatching(/master user "ini_reader" from \[CfgServerProfile\], which can write/));
  });

  it('says which sections it looked for when the file has none of them', async () => {
    const file = await iniFile('other.ini', '[Reporting]\nDBUser=x\nDBPassword=y\n');
    const r = repositories.open({ config: { iniPath: file } });
    await r.start();
    expect(r.health().state).toBe('error');
    expect(r.health().lastError).toMatch(/none of the sections \[CfgServerProfile\], \[QMDatabase\] or \[DbAdminREADONLY\]/);
  });
});
