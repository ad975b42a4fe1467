import { describe, expect, it } from 'vitest';
import { parseApiKey } from '../../../relay/auth/api-key-service.js';
import { hasPermission } from '../../../relay/auth/permissions.js';
import { digestsEqual, randomToken, sha256Hex } from '../../../relay/auth/token-digest.js';

describe('API key format and permissions', () => {
  it('parses rk_<id>_<secret> and rejects anything else', () => {
    const secret = randomToken();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(parseApiKey(`rk_0123456789ab_${secret}`)).toEqual({ id: '0123456789ab', secret });
    for (const bad of ['', 'rk_', `rk_0123456789ab_${secret}x`, `rk_0123456789AB_${secret}`, `xk_0123456789ab_${secret}`, `rk_0123456789ab_${secret.slice(1)}`, `rk_0123456789ab_${secret} `]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('permissions are independent: neither implies the other (contract §2)', () => {
    expect(hasPermission(['read'], 'read')).toBe(true);
    expect(hasPermission(['read'], 'control')).toBe(false);
    expect(hasPermission(['control'], 'read')).toBe(false);
    expect(hasPermission(['control'], 'control')).toBe(true);
    expect(hasPermission([], 'read')).toBe(false);
  });

  it('compares digests of equal and unequal length', () => {
    const a = sha256Hex('a');
    expect(digestsEqual(a, sha256Hex('a'))).toBe(true);
    expect(digestsEqual(a, sha256Hex('b'))).toBe(false);
    expect(digestsEqual(a, a.slice(2))).toBe(false);
  });
});
