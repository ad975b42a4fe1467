// Request bodies: JSON only, at most 1 MiB. A declared oversize body is
// refused before it is read; a body of another type is a 400, not a silently
// empty object that would pass validation with defaults.
import express, { type RequestHandler } from 'express';
import { RelayError } from '../core/relay-error.js';

export const BODY_LIMIT_BYTES = 1024 * 1024;

const hasBody = (req: Parameters<RequestHandler>[0]) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

export function jsonBody(): RequestHandler {
  const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: ['application/json', 'application/*+json'] });
  const guard: RequestHandler = (req, res, next) => {
    // Neither header: no body at all (most requests, every GET poll). The
    // parser would only set req.body = undefined and move on; skip its work.
    if (req.headers['transfer-encoding'] === undefined && req.headers['content-length'] === undefined) {
      if (!('body' in req)) (req as { body?: unknown }).body = undefined;
      return next();
    }
    if (hasBody(req)) {
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > BODY_LIMIT_BYTES) return next(new RelayError('payload_too_large', 413, 'the request body is larger than 1 MiB'));
      if (!req.is(['application/json', 'application/*+json'])) {
        return next(RelayError.badRequest('the request body must be JSON, sent with Content-Type: application/json'));
      }
    }
    parse(req, res, next);
  };
  return guard;
}
