// The one place errors become answers: RelayError keeps its code and safe
// message; body-parser failures map to 400/413; any other failure the
// request itself caused (a body that does not inflate, a bad %-escape in the
// path, anything carrying a 4xx status) is a 400 with a fixed message, never
// echoing the input and never in the error feed. Anything else is a generic
// 500 with an error-feed entry, never a stack trace, SQL or secret.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody } from '../contract/api-types.js';
import type { Logger } from '../core/logger.js';
import { RelayError, describeError, isRelayError } from '../core/relay-error.js';
import { sendJson } from './send-json.js';

/** Where unexpected failures go so an admin sees them in the error feed. */
export interface UnexpectedErrorSink {
  (e: unknown, context: { method: string; path: string }): void;
}

export function sendError(res: Parameters<RequestHandler>[1], err: RelayError): void {
  const body: ApiErrorBody = { error: err.message, code: err.code };
  if ((err.status === 429 || err.status === 503) && !res.getHeader('Retry-After')) {
    const retryAfterS = (err as { retryAfterS?: unknown }).retryAfterS;
    res.setHeader('Retry-After', String(typeof retryAfterS === 'number' ? retryAfterS : 1));
  }
  sendJson(res, body, err.status);
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(RelayError.notFound(`no route ${req.method} ${req.path}; see GET /relay/openapi.json`));
};

interface BodyParserError { type?: string; status?: number; expose?: boolean }

function fromBodyParser(e: unknown): RelayError | null {
  const type = (e as BodyParserError | null)?.type;
  switch (type) {
    case 'entity.too.large':
      return new RelayError('payload_too_large', 413, 'the request body is larger than 1 MiB');
    case 'entity.parse.failed':
      return RelayError.badRequest('the request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return RelayError.badRequest('the request body must be UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return RelayError.badRequest('the request body could not be read');
    default:
      return fromClientFault(e);
  }
}

/** Errors of express/router/body-parser that blame the request (they carry a 4xx status), and URI decoding. */
function fromClientFault(e: unknown): RelayError | null {
  if (e instanceof URIError) return RelayError.badRequest('the request URL has a malformed %-escape');
  const status = (e as BodyParserError | null)?.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (status === 413) return new RelayError('payload_too_large', 413, 'the request body is larger than 1 MiB');
  // The router's "Failed to decode param" and zlib's inflate errors, among others.
  return RelayError.badRequest('the request could not be read (malformed URL escape, body encoding or body)');
}

export function createErrorHandler(logger: Logger, reportUnexpected: UnexpectedErrorSink): ErrorRequestHandler {
  return (e, req, res, _next) => {
    const known = isRelayError(e) ? e : fromBodyParser(e);
    // 'busy' (password checks full) is load a client caused, not the relay's fault: no log line per refused request.
    if (known && (known.status < 500 || known.code === 'busy')) {
      if (!res.headersSent) sendError(res, known);
      return;
    }
    if (known) {
      logger.warn('request failed upstream', { method: req.method, path: req.path, code: known.code, error: known.message, details: known.details });
    } else {
      logger.error('unexpected error in request', { method: req.method, path: req.path, error: describeError(e) });
      reportUnexpected(e, { method: req.method, path: req.path });
    }
    if (res.headersSent) {
      // Mid-stream (CSV export): the status is gone, so cut the connection to
      // make the truncation visible to the client instead of a silent short file.
      res.destroy();
      return;
    }
    sendError(res, known ?? new RelayError('internal_error', 500, 'the relay hit an unexpected error; it has been logged in the error feed'));
  };
}
