// The bcrypt worker's code, as a source string for `new Worker(src, { eval: true })`.
// An inline script instead of a worker file: the relay runs from TypeScript
// under tsx (tests), from the esbuild bundle dist/relay/cli.mjs and from the
// Electron main bundle, and only a string survives all three without a second
// build entry. bcryptjs is loaded from the path the parent resolved
// (workerData.bcryptPath), so it is the same copy the parent would use.
// In the worker the sync functions are right: blocking this thread is the
// point, and they skip bcryptjs's 100 ms time-slicing.

/** One request to the worker: only the password and, to compare, the hash. */
export type HashJob =
  | { id: number; op: 'hash'; password: string }
  | { id: number; op: 'compare'; password: string; hash: string };

/** The worker's answer to the job with the same id. */
export type HashJobResult =
  | { id: number; ok: true; value: string | boolean }
  | { id: number; ok: false; message: string };

export interface HashWorkerData {
  bcryptPath: string;
  cost: number;
}

export const PASSWORD_HASH_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', (job) => {
  try {
    const value = job.op === 'hash'
      ? bcrypt.hashSync(job.password, bcrypt.genSaltSync(workerData.cost))
      : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ id: job.id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
`;
