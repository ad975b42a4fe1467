// Baseline for the CDR export benchmark: the physical limit. PostgreSQL's own
// `COPY (SELECT …) TO STDOUT WITH (FORMAT csv, HEADER)` over the same rows
// (same range, same columns as stored, same order) through psql, its C
// client, piped straight into the HTTP answer: no per-value work outside the
// database and nothing buffered. Same route shape as the relay:
// GET /relay/cdr.csv?from=&to=.
//
// Run as a child process with BASELINE_CDR_URL; prints
// `baseline listening on http://127.0.0.1:PORT`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import express from 'express';
import type { Cdr } from '../../relay/contract/api-types.js';
import { CDR_COLUMNS, CDR_ORDER_ID, CDR_ORDER_TIME, CDR_TABLE, quoteIdent } from '../../relay/pbx/cdr-columns.js';
import { PG_BIN } from '../../test/support/postgres-server.js';
import { serveBaseline } from './serve-baseline.js';

const url = process.env.BASELINE_CDR_URL ?? '';
const col = (f: keyof Cdr) => quoteIdent(CDR_COLUMNS[f]);
const columns = (Object.keys(CDR_COLUMNS) as (keyof Cdr)[]).map(col).join(', ');

/** COPY takes no parameters: the range goes in as literals, from parsed dates only. */
function copySql(from: Date, to: Date): string {
  const started = col(CDR_ORDER_TIME);
  return `COPY (SELECT ${columns} FROM ${quoteIdent(CDR_TABLE)} WHERE ${started} >= '${from.toISOString()}' AND ${started} < '${to.toISOString()}' ` +
    `ORDER BY ${started} DESC, ${col(CDR_ORDER_ID)} DESC) TO STDOUT WITH (FORMAT csv, HEADER)`;
}

const app = express();
app.get('/relay/cdr.csv', (req, res) => {
  const from = new Date(String(req.query.from ?? ''));
  const to = new Date(String(req.query.to ?? ''));
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    res.status(400).json({ error: 'from and to must be dates', code: 'bad_request' });
    return;
  }
  const psql = spawn(path.join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', copySql(from, to)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  res.status(200).type('text/csv');
  psql.stdout.pipe(res);
  psql.on('exit', (code) => {
    if (code !== 0) res.destroy(new Error(`psql exited with ${code}`));
  });
  res.on('close', () => {
    if (psql.exitCode === null) psql.kill();
  });
});

serveBaseline(app);
