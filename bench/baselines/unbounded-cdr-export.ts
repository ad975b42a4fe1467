// Baseline for the CDR export benchmark: the naive export that reads the
// whole range with one unbounded `SELECT *` into memory, turns every row into
// CSV in memory and sends the result in one piece. Same route shape as the
// relay: GET /relay/cdr.csv?from=&to=.
//
// Run as a child process with BASELINE_CDR_URL; prints
// `baseline listening on http://127.0.0.1:PORT`.
import { stringify } from 'csv-stringify/sync';
import express from 'express';
import { serveBaseline } from './serve-baseline.js';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.BASELINE_CDR_URL, max: 2 });

const app = express();
app.get('/relay/cdr.csv', async (req, res) => {
  const from = String(req.query.from ?? '');
  const to = String(req.query.to ?? '');
  const result = await pool.query(
    'SELECT * FROM cdroutput WHERE cdr_started_at >= $1 AND cdr_started_at < $2 ORDER BY cdr_started_at DESC, cdr_id DESC',
    [from, to],
  );
  const csv = stringify(result.rows, { header: true, columns: result.fields.map((f) => f.name), cast: { date: (d) => d.toISOString() } });
  res.type('text/csv').send(csv);
});

serveBaseline(app, () => pool.end());
