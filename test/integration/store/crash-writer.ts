// Child process for the crash-safety test: writes keys and error entries to
// a SQLite store as fast as it can and prints each one only after the write
// returned (= acknowledged). The parent kills it with SIGKILL mid-stream.
import { ApiKeyService } from '../../../relay/auth/api-key-service.js';
import { systemClock } from '../../../relay/core/clock.js';
import { silentLogger } from '../../../relay/core/logger.js';
import { openStore } from '../../../relay/store/store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer.ts DATA_DIR');
const store = await openStore({ dataDir }, silentLogger);
const keys = new ApiKeyService(store.apiKeys, { clock: systemClock, logger: silentLogger });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const k = await keys.create(`crash-${i}`, ['read'], null);
  process.stdout.write(`key ${k.apiKey}\n`);
  const e = await store.errors.record({ component: 'relay', severity: 'error', message: `fault ${process.pid} ${i}`, at: new Date().toISOString() });
  process.stdout.write(`err ${e.entry.id}\n`);
  store.requestLog.record({ keyId: k.id, method: 'GET', path: '/relay/active-calls', status: 200, durationMs: 1 });
}
