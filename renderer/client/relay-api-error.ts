// What a failed relay call throws: the relay's `{error, code}` body, whose
// `error` is written for a person and shown as-is.
export class RelayApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** HTTP status; 0 when the relay could not be reached at all. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'RelayApiError';
  }
}

/** The message to show a person for anything a client call threw. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong; try again.';
}
