// How long a 3CX access token lives. The unit of `expires_in` changed between
// releases (minutes up to 20.0.8, seconds from 20.0.9: docs/3cx-v20.md), so
// reading it wrongly either churns tokens every ~30 s or holds a dead one for
// hours. The JWT's own `exp` claim carries no unit question, so it wins; the
// version decides the unit only when the token does not decode.

/** When neither the token nor the version tells: short enough that a wrong guess costs a refresh, not an outage. */
export const GUESS_FLOOR_MS = 5 * 60_000;
/** No `exp`, no `expires_in`: a lifetime nobody stated. */
export const DEFAULT_LIFETIME_MS = 5 * 60_000;

export type LifetimeSource = 'jwt_exp' | 'expires_in_minutes' | 'expires_in_seconds' | 'guess' | 'default';

export interface TokenLifetime {
  ms: number;
  source: LifetimeSource;
}

/** The numeric `exp` and `iat` claims of a JWT, decoded but NOT verified (the relay only needs a hint, 3CX checks the token). */
export function jwtTimes(token: string): { exp: number; iat: number | null } | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!claims || typeof claims !== 'object') return null;
  const { exp, iat } = claims as { exp?: unknown; iat?: unknown };
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  return { exp, iat: typeof iat === 'number' && Number.isFinite(iat) ? iat : null };
}

/** `20.0.7.1080` → [20, 0, 7]; null for anything that does not start with three numbers. */
export function parsePbxVersion(version: string | null | undefined): [number, number, number] | null {
  const m = /^\s*(\d+)\.(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** Whether this 3CX release states `expires_in` in seconds (true), minutes (false) or nobody knows (null). */
export function expiresInIsSeconds(version: string | null | undefined): boolean | null {
  const v = parsePbxVersion(version);
  if (!v) return null;
  const [major, minor, update] = v;
  if (major !== 20) return major > 20;
  if (minor !== 0) return minor > 0;
  return update >= 9;
}

/**
 * The lifetime of `accessToken`, obtained at `nowMs`. `exp - iat` when both
 * claims exist (immune to clock skew between relay and PBX), else `exp` against
 * our clock; then `expires_in` in the version's unit; then a guess.
 */
export function tokenLifetime(accessToken: string, expiresIn: number | undefined, pbxVersion: string | null, nowMs: number): TokenLifetime {
  const times = jwtTimes(accessToken);
  if (times) {
    const ms = times.iat !== null ? (times.exp - times.iat) * 1000 : times.exp * 1000 - nowMs;
    if (ms > 0) return { ms, source: 'jwt_exp' };
  }
  if (expiresIn === undefined) return { ms: DEFAULT_LIFETIME_MS, source: 'default' };
  const seconds = expiresInIsSeconds(pbxVersion);
  if (seconds === true) return { ms: expiresIn * 1000, source: 'expires_in_seconds' };
  if (seconds === false) return { ms: expiresIn * 60_000, source: 'expires_in_minutes' };
  // Unknown release: a seconds reading of at least the floor is plausible
  // (3600 = one hour); a smaller number is more likely minutes (60), but a
  // wrong "minutes" would hold a dead token, so it is capped at the floor.
  const asSeconds = expiresIn * 1000;
  return { ms: asSeconds >= GUESS_FLOOR_MS ? asSeconds : Math.min(expiresIn * 60_000, GUESS_FLOOR_MS), source: 'guess' };
}
