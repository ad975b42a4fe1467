// Secrets presented by clients (API keys, session tokens) are 256-bit random
// values, so a plain SHA-256 is a safe at-rest form (no dictionary to
// attack) and is cheap enough to compute on every request.
import crypto from 'node:crypto';

export function sha256Hex(s: string): string {
  return crypto.createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** 32 random bytes, base64url (43 chars). */
export function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}
