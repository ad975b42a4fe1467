// The running relay's store: where it lives (a PostgreSQL URL, a data dir, or
// a temporary dir deleted at close, for the demo), and the hourly retention
// run, which stops when the store closes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { describeError } from '../core/relay-error.js';
import { openStore, type Store } from './store.js';

const PRUNE_INTERVAL_MS = 3_600_000;

export interface StoreLifetimeOptions {
  storeUrl?: string;
  dataDir?: string;
  clock: Clock;
  logger: Logger;
  flushIntervalMs?: number;
}

export interface StoreLifetime {
  readonly store: Store;
  /** Stops the retention timer, closes the store, deletes a temporary data dir. */
  close(): Promise<void>;
}

export async function openStoreLifetime(o: StoreLifetimeOptions): Promise<StoreLifetime> {
  const tempDir = !o.storeUrl && !o.dataDir ? fs.mkdtempSync(path.join(os.tmpdir(), 'relay-store-')) : null;
  const removeTemp = () => { if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true }); };
  let store: Store;
  try {
    store = await openStore(
      o.storeUrl ? { url: o.storeUrl } : { dataDir: o.dataDir ?? tempDir! },
      o.logger,
      { clock: o.clock, ...(o.flushIntervalMs ? { flushIntervalMs: o.flushIntervalMs } : {}) },
    );
  } catch (e) {
    removeTemp();
    throw e;
  }
  let pruneTimer: { cancel(): void } | null = null;
  const schedulePrune = () => {
    pruneTimer = o.clock.setTimeout(() => {
      void store.prune().catch((e) => o.logger.warn('store retention failed', { error: describeError(e) }))
        .finally(() => { if (pruneTimer) schedulePrune(); });
    }, PRUNE_INTERVAL_MS);
  };
  schedulePrune();
  return {
    store,
    async close() {
      pruneTimer?.cancel();
      pruneTimer = null;
      await store.close();
      removeTemp();
    },
  };
}
