// The embedded engine: one better-sqlite3 file in the data dir, tuned so an
// acknowledged write survives a crash of the relay process.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

export const SQLITE_FILE_NAME = 'relay.sqlite';

export function openSqliteDialect(dataDir: string): SqliteDialect {
  // 0700 dir and 0600 file: the store holds password and key digests.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, SQLITE_FILE_NAME);
  // Create the file ourselves so it never exists with umask permissions; SQLite
  // gives the -wal and -shm files the database file's mode.
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  const database = new Database(file);
  // WAL + synchronous=NORMAL: a committed transaction is in the WAL file
  // before the call returns, so `kill -9` loses nothing (only an OS crash or
  // power loss could lose the last transactions, which we accept).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  return new SqliteDialect({ database });
}
