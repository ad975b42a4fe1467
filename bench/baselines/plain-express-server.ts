// Reference for the key-auth benchmark: the floor express itself sets on this
// machine — the same route and body with no authentication, no logging, no
// policy. Not the baseline the target is judged against (that is the bcrypt
// server); it shows how much of the framework's ceiling the relay keeps.
// BASELINE_CALLS (JSON body) in the environment; prints
// `baseline listening on http://127.0.0.1:PORT`.
import express from 'express';

const callsBody: unknown = JSON.parse(process.env.BASELINE_CALLS ?? '{"value":[],"source":"xapi","asOf":""}');
const app = express();
app.get('/relay/active-calls', (_req, res) => {
  res.json(callsBody);
});
const server = app.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(`baseline listening on http://127.0.0.1:${port}\n`);
});
const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
