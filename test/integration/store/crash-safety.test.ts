// A write the store acknowledged survives `kill -9` of the process, and the
// SQLite store opens cleanly afterwards (WAL recovery, migrations re-run as
// no-ops). The relay-level version of this test lives in test/integration/hardening.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeyService } from '../../../relay/auth/api-key-service.js';
import { systemClock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { SQLITE_FILE_NAME } from '../../../relay/store/open-sqlite.js';
import { openStore } from '../../../relay/store/store.js';

const WRITER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-writer.ts');
const ROUNDS = 3;

/** Runs the writer until it has acknowledged `stopAfter` lines, then SIGKILLs it. */
function runAndKill(dataDir: string, stopAfter: number): Promise<{ keys: string[]; errors: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keys: string[] = [];
    const errors: number[] = [];
    let stderr = '';
    let acknowledged = 0;
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const [kind, value] = line.split(' ');
      if (kind === 'key' && value) keys.push(value);
      else if (kind === 'err' && value) errors.push(Number(value));
      else return;
      if (++acknowledged === stopAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ keys, errors });
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('SQLite store under kill -9', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-crash-'));
  const dataDir = path.join(dir, 'data');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged write and reopens cleanly', async () => {
    const allKeys: string[] = [];
    const allErrors: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { keys, errors } = await runAndKill(dataDir, 50 + Math.floor(Math.random() * 400));
      allKeys.push(...keys);
      allErrors.push(...errors);

      const store = await openStore({ dataDir }, silentLogger);
      try {
        const service = new ApiKeyService(store.apiKeys, { clock: systemClock, logger: silentLogger });
        for (const k of allKeys) expect(await service.authenticate(k), `key from round ${round}`).not.toBeNull();
        for (const id of allErrors) expect(await store.errors.get(id)).not.toBeNull();
      } finally {
        await store.close();
      }
    }
    expect(allKeys.length).toBeGreaterThanOrEqual(ROUNDS * 25);
    const raw = new Database(path.join(dataDir, SQLITE_FILE_NAME));
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      raw.close();
    }
  });
});
