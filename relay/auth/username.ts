// The one rule for comparing usernames. The store compares names exactly
// (case-sensitive), so everything else must too: the old throttle folded
// case, which let failures for `ADMIN` (no such account) lock out `admin`.
// A string that is not a valid username cannot name an account, and is
// never worth logging: it may be a password typed into the wrong field.
import { username as usernameSchema } from '../contract/schemas.js';

/** The account name `input` denotes, or null when it cannot be one. */
export function canonicalUsername(input: string): string | null {
  return usernameSchema.safeParse(input).success ? input : null;
}

/** Whether two inputs name the same account (false when either cannot). */
export function sameUsername(a: string, b: string): boolean {
  const ca = canonicalUsername(a);
  return ca !== null && ca === canonicalUsername(b);
}
