// Reference for the key-auth benchmark: the floor express itself sets on this
// machine — the same route and body with no authentication, no logging, no
// policy. Not the baseline the target is judged against (that is the bcrypt
// server); it shows how much of the framework's ceiling the relay keeps.
// BASELINE_CALLS (JSON body) in the environment; prints
// `baseline listening on http://127.0.0.1:PORT`.
import express from 'express';
import { serveBaseline } from './serve-baseline.js';

const callsBody: unknown = JSON.parse(process.env.BASELINE_CALLS ?? '{"value":[],"source":"xapi","asOf":""}');
const app = express();
app.get('/relay/active-calls', (_req, res) => {
  res.json(callsBody);
});
serveBaseline(app);
