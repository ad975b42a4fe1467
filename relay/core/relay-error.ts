// One error type for the whole relay: a code and HTTP status for the edge, a
// message safe to show a person, and details that stay in the logs.

export type RelayErrorCode =
  | 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'payload_too_large'
  | 'rate_limited' | 'upstream_error' | 'upstream_timeout' | 'upstream_unconfigured' | 'internal_error'
  | (string & {});

export class RelayError extends Error {
  readonly code: RelayErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: RelayErrorCode, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'RelayError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  static badRequest(message: string, details?: unknown) { return new RelayError('bad_request', 400, message, details); }
  static unauthorized(message = 'a valid API key is required') { return new RelayError('unauthorized', 401, message); }
  static forbidden(message: string) { return new RelayError('forbidden', 403, message); }
  static notFound(message: string) { return new RelayError('not_found', 404, message); }
  static conflict(message: string) { return new RelayError('conflict', 409, message); }
  static upstream(message: string, details?: unknown) { return new RelayError('upstream_error', 502, message, details); }
  static upstreamTimeout(message: string, details?: unknown) { return new RelayError('upstream_timeout', 504, message, details); }
  static unconfigured(component: string) {
    return new RelayError('upstream_unconfigured', 502, `${component} is not configured; set it up in the relay settings`);
  }
}

export function isRelayError(e: unknown): e is RelayError {
  return e instanceof RelayError;
}

/** A message for logs and error feeds from anything thrown. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : JSON.stringify(e);
}
