// Rules every entry point shares: the Bearer header is read one way, and an
// input error reads the same whether it came over HTTP, IPC or a service call.
import { describe, expect, it } from 'vitest';
import { createUserBody } from '../../../relay/contract/schemas.js';
import { bearerToken } from '../../../relay/core/bearer-token.js';
import { describeIssues, parseInput } from '../../../relay/core/parse-input.js';
import { RelayError } from '../../../relay/core/relay-error.js';
import { readApiKey } from '../../../relay/http/security/api-key-header.js';
import { adminTokenOf } from '../../../relay/http/admin-auth.js';
import { parseInput as parseRequestPart } from '../../../relay/http/validate.js';

const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RelayError);
    return (e as RelayError).message;
  }
  throw new Error('did not throw');
};

describe('bearer token', () => {
  it('reads `Bearer <token>` in any case, with surrounding space, and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc  ')).toBe('abc');
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('API keys and admin sessions take the same header forms', () => {
    for (const authorization of ['Bearer k1', 'BEARER k1 ', 'Bearer k1 k2', 'Token k1', 'Bearer\tk1']) {
      const key = readApiKey({ authorization });
      const admin = adminTokenOf({ headers: { authorization } });
      expect({ authorization, admin }).toEqual({ authorization, admin: key });
    }
  });
});

describe('input errors', () => {
  it('a service and the HTTP edge word the same bad input the same way', () => {
    const input = { username: 'ann', password: 'short', role: 'admin' };
    const fromService = messageOf(() => parseInput(createUserBody, input, 'user'));
    expect(fromService).toBe('`password` must be at least 10 characters');
    expect(messageOf(() => parseRequestPart(createUserBody, input, 'body'))).toBe(fromService);
  });

  it('names missing fields and unknown ones; a bare value is named by `where`', () => {
    expect(messageOf(() => parseRequestPart(createUserBody, undefined, 'body'))).toBe('`username` is required; `password` is required; `role` is required');
    const r = createUserBody.safeParse({ username: 'ann', password: 'long enough pw', role: 'admin', extra: 1 });
    expect(r.success || describeIssues(r.error, 'body')).toBe('body: unknown field `extra`');
    expect(messageOf(() => parseInput(createUserBody.shape.password, 'x', 'RELAY_ADMIN_PASSWORD'))).toBe('RELAY_ADMIN_PASSWORD must be at least 10 characters');
  });
});
