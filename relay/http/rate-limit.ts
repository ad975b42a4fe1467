// Per-key request budget, so one runaway integration cannot starve the others
// or the upstream PBX. Keyed by the API key id (set by requireApiKey), never by
// address: every local client shares 127.0.0.1.
//
// rate-limiter-flexible (already the login throttle's limiter) rather than
// express-rate-limit: the latter cost ~16 % of the CPU on the hot path
// (benchmark 1), partly a SHA-256 of the key per request for its draft-8
// partition key. The IETF draft-8 headers are kept, without the partition key.
import type { RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RelayError } from '../core/relay-error.js';
import { apiKeyOf } from './locals.js';

/** Its expiry timers are unref'd and go with their records: nothing to stop. */
export function createKeyRateLimit(opts: { windowMs: number; limit: number }): RequestHandler {
  const windowS = opts.windowMs / 1000;
  const limiter = new RateLimiterMemory({ keyPrefix: 'relay_key', points: opts.limit, duration: windowS });
  const policy = `"per-key";q=${opts.limit};w=${Math.ceil(windowS)}`;
  const setHeaders = (res: Response, r: RateLimiterRes) => {
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader('RateLimit', `"per-key";r=${Math.max(0, r.remainingPoints)};t=${Math.ceil(r.msBeforeNext / 1000)}`);
  };
  return (_req, res, next) => {
    limiter.consume(`key:${apiKeyOf(res)?.id ?? 'none'}`, 1).then(
      (r) => {
        setHeaders(res, r);
        next();
      },
      (e: unknown) => {
        if (!(e instanceof RateLimiterRes)) return next(e);
        setHeaders(res, e);
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))));
        next(new RelayError('rate_limited', 429, `this API key exceeded ${opts.limit} requests per ${Math.round(windowS)} s; slow down and retry`));
      },
    );
  };
}
