// autocannon as a promise, with our own sub-millisecond latency samples
// (autocannon's histogram rounds to whole milliseconds).
import autocannon from 'autocannon';
import { distribution, SampleBuffer, type Distribution } from './percentiles.js';

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Headers per connection (e.g. one API key each). */
  headersFor?: (connection: number) => Record<string, string>;
  /** Requests per second across all connections (autocannon's overallRate). */
  overallRate?: number;
  /** Sees every answer's status and body (slows the generator: use for low rates). */
  onResponse?: (status: number, body: string) => void;
}

export interface LoadResult {
  requestsPerS: number;
  ok: number;
  non2xx: number;
  errors: number;
  latencyMs: Distribution;
  durationS: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const latencies = new SampleBuffer();
  let next = 0;
  let done!: (r: autocannon.Result) => void;
  let failed!: (e: unknown) => void;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  // The callback form returns the instance (for per-response latencies).
  const instance = autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    overallRate: o.overallRate,
    ...(o.onResponse ? { requests: [{ onResponse: (status: number, body: string) => o.onResponse!(status, body) }] } : {}),
    setupClient: (client) => {
      const n = next++;
      if (o.headersFor) client.setHeaders(o.headersFor(n));
    },
  }, (err, result) => (err ? failed(err) : done(result)));
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await finished;
  return {
    requestsPerS: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    latencyMs: distribution(latencies.values()),
    durationS: result.duration,
  };
}
