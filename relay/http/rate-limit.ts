// Per-key request budget, so one runaway integration cannot starve the others
// or the upstream PBX. Keyed by the API key id (set by requireApiKey).
import { rateLimit, MemoryStore } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import { RelayError } from '../core/relay-error.js';
import { apiKeyOf } from './locals.js';

export interface KeyRateLimit { middleware: RequestHandler; stop(): void }

export function createKeyRateLimit(opts: { windowMs: number; limit: number }): KeyRateLimit {
  const store = new MemoryStore();
  const middleware = rateLimit({
    windowMs: opts.windowMs,
    limit: opts.limit,
    store,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Keyed by key id, never by address: every local client shares 127.0.0.1.
    keyGenerator: (_req, res) => `key:${apiKeyOf(res)?.id ?? 'none'}`,
    validate: { keyGeneratorIpFallback: false },
    handler: (_req, _res, next) => {
      next(new RelayError('rate_limited', 429, `this API key exceeded ${opts.limit} requests per ${Math.round(opts.windowMs / 1000)} s; slow down and retry`));
    },
  });
  return { middleware, stop: () => store.shutdown() };
}
