// Secrets never reach a log line, a health answer or a table: known secret
// values are masked wherever they appear, in every encoding we send them in
// (an upstream that echoes our request back in its error quotes the form
// body or a JSON string, not the raw value), and fields whose names say
// "secret" are masked whatever they hold.

const SECRET_KEY = /(secret|password|passwd|token|apikey|api_key|authorization|cookie)/i;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s]+:)([^@/\s]+)(@)/gi;
const MASK = '[redacted]';
/** Shorter values would mask ordinary words; no real secret is this short. */
const MIN_SECRET_LENGTH = 4;

const lowerHex = (s: string) => s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const jsonEscaped = (s: string) => JSON.stringify(s).slice(1, -1);

/**
 * Every form in which `secret` leaves this process: raw, percent-encoded
 * (encodeURIComponent, and with lower-case hex as some servers re-encode),
 * application/x-www-form-urlencoded (URLSearchParams: `+` for a space, more
 * characters escaped), and JSON-string escaped (quotes, backslashes,
 * control characters), plus the JSON form of each encoding.
 */
export function secretForms(secret: string): string[] {
  if (!secret || secret.length < MIN_SECRET_LENGTH) return [];
  const uri = encodeURIComponent(secret);
  const form = new URLSearchParams({ v: secret }).toString().slice(2);
  const base = [secret, uri, lowerHex(uri), uri.replace(/%20/g, '+'), form, lowerHex(form)];
  const all = new Set([...base, ...base.map(jsonEscaped)]);
  // Longest first, so a shorter form inside a longer one never leaves a tail of it visible.
  return [...all].sort((a, b) => b.length - a.length);
}

// The logger redacts every field of every record with the same few secrets:
// their forms are worked out once per distinct list, not per string.
let memo: { key: string; forms: string[] } = { key: '', forms: [] };
function formsOf(secrets: readonly string[]): string[] {
  const key = secrets.join('\u0000');
  if (memo.key !== key) {
    memo = { key, forms: [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length) };
  }
  return memo.forms;
}

export function redactString(s: string, secrets: readonly string[]): string {
  let out = s.replace(URL_PASSWORD, `$1${MASK}$3`);
  for (const form of formsOf(secrets)) {
    if (out.includes(form)) out = out.split(form).join(MASK);
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
