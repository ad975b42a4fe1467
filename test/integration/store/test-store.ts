// Opens a fresh store on either engine for a test: SQLite in a temporary
// data dir, or PostgreSQL in a scratch database on the integration server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../relay/core/logger.js';
import type { Logger } from '../../../relay/core/logger.js';
import { openStore } from '../../../relay/store/store.js';
import type { Store, StoreLocation, StoreOptions } from '../../../relay/store/store.js';
import type { StoreEngine } from '../../../relay/store/store-schema.js';
import { createScratchDatabase } from '../../support/test-postgres.js';

export const ENGINES: StoreEngine[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: Store;
  location: StoreLocation;
  /** Close and open again on the same data (restart). */
  reopen(): Promise<Store>;
  /** Close the store and delete its data. */
  cleanup(): Promise<void>;
}

export async function openTestStore(engine: StoreEngine, opts: StoreOptions & { logger?: Logger } = {}): Promise<TestStore> {
  let location: StoreLocation;
  let dispose: () => Promise<void>;
  if (engine === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-store-'));
    location = { dataDir: path.join(dir, 'data') };
    dispose = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const scratch = await createScratchDatabase('relay_store');
    location = { url: scratch.url };
    dispose = () => scratch.drop();
  }
  const logger = opts.logger ?? silentLogger;
  const t: TestStore = {
    store: await openStore(location, logger, opts),
    location,
    async reopen() {
      await t.store.close();
      t.store = await openStore(location, logger, opts);
      return t.store;
    },
    async cleanup() {
      await t.store.close();
      await dispose();
    },
  };
  return t;
}
