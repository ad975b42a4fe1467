// One HTTP request with full control over every header, Host and Origin
// included (fetch would refuse or rewrite them), and the raw answer.
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: string }

export function rawRequest(baseUrl: string, r: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method: r.method,
      path: r.path,
      headers: { ...r.headers, ...(r.body !== undefined ? { 'content-length': String(Buffer.byteLength(r.body)) } : {}) },
      timeout: timeoutMs,
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${r.method} ${r.path} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(r.body);
  });
}
