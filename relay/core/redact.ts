// Secrets never reach a log line: known secret values are masked wherever they
// appear, and fields whose names say "secret" are masked whatever they hold.

const SECRET_KEY = /(secret|password|passwd|token|apikey|api_key|authorization|cookie)/i;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s]+:)([^@/\s]+)(@)/gi;
const MASK = '[redacted]';

export function redactString(s: string, secrets: readonly string[]): string {
  let out = s.replace(URL_PASSWORD, `$1${MASK}$3`);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MASK);
  }
  return out;
}

export function redact(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (depth > 6) return '[depth]';
  if (typeof value === 'string') return redactString(value, secrets);
  if (value instanceof Error) return { name: value.name, message: redactString(value.message, secrets) };
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v != null && v !== '' ? MASK : redact(v, secrets, depth + 1);
    }
    return out;
  }
  return value;
}

/** The password a `scheme://user:password@host` URL carries, so it can be masked; null when none. */
export function passwordInUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}
