// The relay as `npm run relay` runs it: `node --enable-source-maps
// dist/relay/cli.mjs`, the esbuild bundle that the `prerelay` script
// (build/prepare-relay.mjs) keeps current. Benchmarks and the crash suite
// build it the same way, once, and start that file.
import path from 'node:path';
import { prepareRelay } from '../../build/prepare-relay.mjs';
import { REPO_ROOT } from '../../test/support/child-process.js';

export const RELAY_BUNDLE = path.join(REPO_ROOT, 'dist', 'relay', 'cli.mjs');

/** Rebuilds the bundle (and the dashboard) when their sources changed; returns the bundle's path. */
export async function ensureRelayBundle(say: (line: string) => void = () => undefined): Promise<string> {
  await prepareRelay(say);
  return RELAY_BUNDLE;
}
