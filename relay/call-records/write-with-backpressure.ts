// Writing big chunks into a Node stream while honouring its backpressure:
// wait for 'drain' when write() says the buffer is full, and fail at once if
// the destination errors or closes early or the export is aborted, instead of
// waiting for a 'drain' that will never come.
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export interface BackpressureWriter {
  /** Resolves once `out` can take more (at once if its buffer is not full). */
  write(data: string | Buffer): Promise<void>;
  /** Ends `out` and resolves once it has flushed everything. */
  end(): Promise<void>;
}

export function backpressureWriter(out: NodeJS.WritableStream, signal: AbortSignal): BackpressureWriter {
  // Settles when `out` finishes, errors or closes before finishing.
  const done = finished(out);
  // A rejection nobody awaits (the export already failed elsewhere) is not a crash.
  done.catch(() => undefined);
  const closedEarly = new AbortController();
  done.then(
    () => closedEarly.abort(new Error('the destination finished before the export did')),
    (e: unknown) => closedEarly.abort(e),
  );
  const stop = AbortSignal.any([signal, closedEarly.signal]);
  return {
    async write(data) {
      stop.throwIfAborted();
      if (out.write(data)) return;
      // Rejects with the abort reason (client gone, destination closed) or on 'error'.
      await once(out, 'drain', { signal: stop });
    },
    async end() {
      stop.throwIfAborted();
      out.end();
      await done;
    },
  };
}
