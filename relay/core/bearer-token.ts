// `Authorization: Bearer <token>`: one reading of the header for API keys,
// admin sessions and the simulator's 3CX stand-in, so none of them accepts a
// form the others refuse.

/** The token of an `Authorization: Bearer <token>` header value, else null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null;
}
