// Every integration request is counted per key (dashboard figures, audit),
// through the store's batched writer so the hot path does no database write.
// Unauthenticated health/openapi polls are not integration traffic; refused
// attempts are kept (keyId null when the key was unknown) for the audit.
import type { RequestHandler } from 'express';
import type { RequestLogSink } from './http-deps.js';
import { apiKeyOf } from './locals.js';

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function requestLogger(sink: RequestLogSink, now: () => number): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const at = now();
    res.once('finish', () => {
      const key = apiKeyOf(res);
      if (!key && res.statusCode !== 401 && res.statusCode !== 403) return;
      sink.record({
        keyId: key?.id ?? null,
        method: req.method,
        // originalUrl: baseUrl/path depend on which router the request is in when it finishes.
        path: pathOf(req.originalUrl).slice(0, 200),
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        at,
      });
    });
    next();
  };
}
