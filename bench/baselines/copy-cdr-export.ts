// Baseline for the CDR export benchmark: the physical limit. PostgreSQL's own
// `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)` over the same rows through
// psql, its C client, piped straight into the HTTP answer: nothing done
// outside the database and nothing buffered. Same route shape as the relay:
// GET /relay/cdr.csv?from=&to=. BASELINE_COPY_SELECT chooses the SELECT:
// - `export` (default): the relay's own statement (ISO times, formula rule),
//   so the answer is byte for byte the relay's: the limit for this export;
// - `plain`: the same columns as stored, PostgreSQL's own text for each
//   value: what the formatting in the SELECT costs.
//
// Run as a child process with BASELINE_CDR_URL; prints
// `baseline listening on http://127.0.0.1:PORT`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import express from 'express';
import { CDR_CSV_COLUMNS } from '../../relay/call-records/cdr-csv-export.js';
import { csvRecords } from '../../relay/call-records/csv-text.js';
import type { Cdr } from '../../relay/contract/api-types.js';
import { CDR_COLUMNS, CDR_ORDER_ID, CDR_ORDER_TIME, CDR_TABLE, quoteIdent } from '../../relay/pbx/cdr-columns.js';
import { cdrCsvCopySql } from '../../relay/pbx/cdr-repository.js';
import { PG_BIN } from '../../test/support/postgres-server.js';
import { serveBaseline } from './serve-baseline.js';

const url = process.env.BASELINE_CDR_URL ?? '';
const plain = process.env.BASELINE_COPY_SELECT === 'plain';
const HEADER = csvRecords([CDR_CSV_COLUMNS], CDR_CSV_COLUMNS.length);
const col = (f: keyof Cdr) => quoteIdent(CDR_COLUMNS[f]);
const columns = (Object.keys(CDR_COLUMNS) as (keyof Cdr)[]).map(col).join(', ');

/** COPY takes no parameters: the range goes in as literals, from parsed dates only. */
function plainCopySql(from: Date, to: Date): string {
  const started = col(CDR_ORDER_TIME);
  return `COPY (SELECT ${columns} FROM ${quoteIdent(CDR_TABLE)} WHERE ${started} >= '${from.toISOString()}' AND ${started} < '${to.toISOString()}' ` +
    `ORDER BY ${started} DESC, ${col(CDR_ORDER_ID)} DESC) TO STDOUT WITH (FORMAT csv)`;
}

const app = express();
app.get('/relay/cdr.csv', (req, res) => {
  const from = new Date(String(req.query.from ?? ''));
  const to = new Date(String(req.query.to ?? ''));
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    res.status(400).json({ error: 'from and to must be dates', code: 'bad_request' });
    return;
  }
  const sql = plain ? plainCopySql(from, to) : cdrCsvCopySql({ from, to });
  const psql = spawn(path.join(PG_BIN, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  res.status(200).type('text/csv');
  res.write(HEADER);
  psql.stdout.pipe(res);
  psql.on('exit', (code) => {
    if (code !== 0) res.destroy(new Error(`psql exited with ${code}`));
  });
  res.on('close', () => {
    if (psql.exitCode === null) psql.kill();
  });
});

serveBaseline(app);
