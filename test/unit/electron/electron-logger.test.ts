import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import log from 'electron-log/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createElectronLogger, LOG_FILE_NAME } from '../../../electron/logging/electron-logger.js';

let dir: string;
let logId = 0;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'electron-log-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

// The real electron-log (its Node flavour, the same file transport the app uses).
const newLog = () => log.create({ logId: `test-${process.pid}-${logId++}` });

describe('electron-log backed Logger', () => {
  it('writes JSON lines to userData/logs/main.log', async () => {
    const logger = createElectronLogger(newLog(), { logsDir: dir, secrets: () => [] });
    logger.info('relay started', { url: 'http://127.0.0.1:8082' });
    logger.child({ component: 'xapi' }).warn('slow answer', { ms: 900 });
    logger.debug('not at info level');
    const lines = (await fs.readFile(path.join(dir, LOG_FILE_NAME), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toMatchObject([
      { level: 'info', msg: 'relay started', url: 'http://127.0.0.1:8082' },
      { level: 'warn', msg: 'slow answer', component: 'xapi', ms: 900 },
    ]);
  });

  it('masks the current secret values, including ones learned after the logger was made', async () => {
    const secrets: string[] = [];
    const logger = createElectronLogger(newLog(), { logsDir: dir, secrets: () => secrets });
    secrets.push('Cl1entS3cret');
    logger.error('token request failed', { body: 'client_id=relay&client_secret=Cl1entS3cret', note: 'sent Cl1entS3cret' });
    logger.info('database', { url: 'postgres://reader:db-pass-99@10.0.0.5:5480/database_single' });
    const text = await fs.readFile(path.join(dir, LOG_FILE_NAME), 'utf8');
    expect(text).not.toContain('Cl1entS3cret');
    expect(text).not.toContain('db-pass-99');
    expect(text).toContain('[redacted]');
  });

  it('rotates the file past maxSize (main.log -> main.old.log)', async () => {
    const logger = createElectronLogger(newLog(), { logsDir: dir, secrets: () => [], maxSizeBytes: 2_000 });
    for (let i = 0; i < 60; i++) logger.info('call event', { i, pad: 'x'.repeat(50) });
    const files = (await fs.readdir(dir)).sort();
    expect(files).toEqual(['main.log', 'main.old.log']);
    expect((await fs.stat(path.join(dir, 'main.log'))).size).toBeLessThanOrEqual(2_000 + 200);
  });
});
