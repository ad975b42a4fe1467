// Baseline for the key-auth benchmark: the original design's way of checking
// API keys. Keys are stored only as bcrypt hashes (cost 10), so every request
// compares the presented key against each active key's hash until one
// matches, then logs the request with one autocommitted insert. Same route
// shape as the relay: GET /relay/active-calls with Bearer / X-API-Key.
//
// Run as a child process: BASELINE_KEYS (JSON array of keys) and
// BASELINE_CALLS (JSON body to answer with) in the environment; prints
// `baseline listening on http://127.0.0.1:PORT`.
import bcrypt from 'bcryptjs';
import Database from 'better-sqlite3';
import express from 'express';
import { serveBaseline } from './serve-baseline.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BCRYPT_COST = 10;

const keys: string[] = JSON.parse(process.env.BASELINE_KEYS ?? '[]');
const callsBody: unknown = JSON.parse(process.env.BASELINE_CALLS ?? '{"value":[],"source":"xapi","asOf":""}');

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-bcrypt-'));
const db = new Database(path.join(dir, 'baseline.db'));
db.pragma('journal_mode = WAL');
db.exec(`CREATE TABLE api_keys (id INTEGER PRIMARY KEY, key_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
         CREATE TABLE api_requests (id INTEGER PRIMARY KEY, api_key_id INTEGER, endpoint TEXT, at TEXT)`);
const insertKey = db.prepare('INSERT INTO api_keys (key_hash) VALUES (?)');
for (const k of keys) insertKey.run(bcrypt.hashSync(k, BCRYPT_COST));
const activeKeys = db.prepare('SELECT id, key_hash FROM api_keys WHERE active = 1');
const logRequest = db.prepare('INSERT INTO api_requests (api_key_id, endpoint, at) VALUES (?, ?, ?)');

function presentedKey(req: express.Request): string | undefined {
  const auth = req.get('authorization');
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return req.get('x-api-key') ?? undefined;
}

const app = express();
app.get('/relay/active-calls', async (req, res) => {
  const key = presentedKey(req);
  if (!key) return void res.status(401).json({ error: 'a valid API key is required', code: 'unauthorized' });
  let matched: number | null = null;
  for (const row of activeKeys.all() as { id: number; key_hash: string }[]) {
    if (await bcrypt.compare(key, row.key_hash)) {
      matched = row.id;
      break;
    }
  }
  if (matched === null) return void res.status(401).json({ error: 'a valid API key is required', code: 'unauthorized' });
  logRequest.run(matched, req.path, new Date().toISOString());
  res.json(callsBody);
});

serveBaseline(app, () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
