// A secret comes back from an upstream in the form we sent it: in a
// form-urlencoded body (`+` for a space, `%26` for `&`), percent-encoded in a
// URL, or escaped inside a JSON string. Every one of those is masked.
import { describe, expect, it } from 'vitest';
import { redact, redactString, secretForms } from '../../../relay/core/redact.js';

const SECRET = 'p@ss w&rd "x"\\/+é=1';

describe('redactString masks every encoding of a secret', () => {
  const sent = {
    raw: SECRET,
    encodeURIComponent: encodeURIComponent(SECRET),
    lowerHexPercent: encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    formBody: new URLSearchParams({ client_id: 'relay', client_secret: SECRET, grant_type: 'client_credentials' }).toString(),
    jsonString: JSON.stringify({ client_secret: SECRET }),
    jsonOfFormBody: JSON.stringify(`bad request: ${new URLSearchParams({ client_secret: SECRET }).toString()}`),
  };

  it.each(Object.entries(sent))('%s', (_name, text) => {
    const out = redactString(`3CX said: ${text} (end)`, [SECRET]);
    expect(out).toContain('[redacted]');
    for (const form of secretForms(SECRET)) expect(out).not.toContain(form);
    // No tell-tale fragment of the secret survives either.
    expect(out).not.toMatch(/w(&|%26|\+)rd|rd\\?"x/i);
  });

  it('leaves text without the secret alone, and ignores secrets too short to be real', () => {
    expect(redactString('invalid_client: Invalid client credentials', [SECRET])).toBe('invalid_client: Invalid client credentials');
    expect(secretForms('abc')).toEqual([]);
    expect(redactString('abc abc', ['abc'])).toBe('abc abc');
  });

  it('masks the forms inside structured log fields and error objects', () => {
    const out = redact({ msg: 'token request failed', body: new URLSearchParams({ client_secret: SECRET }).toString(), error: new Error(JSON.stringify(SECRET)) }, [SECRET]);
    expect(JSON.stringify(out)).not.toMatch(/w(&|%26|\+)rd/);
  });

  it('masks a password written into a URL', () => {
    expect(redactString('postgres://reader:hunter22@db:5432/x', [])).toBe('postgres://reader:[redacted]@db:5432/x');
  });
});
