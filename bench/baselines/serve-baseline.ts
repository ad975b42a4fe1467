// What every baseline server shares: listen on a free loopback port, print
// `baseline listening on URL` for the parent, and close cleanly on
// SIGTERM/SIGINT (after its own clean-up).
import type { Express } from 'express';

export function serveBaseline(app: Express, cleanup: () => Promise<void> | void = () => undefined): void {
  const server = app.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    process.stdout.write(`baseline listening on http://127.0.0.1:${port}\n`);
  });
  const shutdown = () => {
    server.close(() => {
      void Promise.resolve(cleanup()).finally(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
