// The token's lifetime: the JWT `exp` wins; else `expires_in` in the unit the
// PBX release uses (minutes up to 20.0.8, seconds from 20.0.9); else a guess.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIFETIME_MS, GUESS_FLOOR_MS, expiresInIsSeconds, jwtTimes, parsePbxVersion, tokenLifetime } from '../../../relay/pbx/token-lifetime.js';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}.c2ln`;

describe('jwtTimes', () => {
  it('decodes exp and iat without verifying the signature', () => {
    expect(jwtTimes(jwt({ exp: 1_800_003_600, iat: 1_800_000_000 }))).toEqual({ exp: 1_800_003_600, iat: 1_800_000_000 });
    expect(jwtTimes(jwt({ exp: 1_800_003_600 }))).toEqual({ exp: 1_800_003_600, iat: null });
  });

  it('gives null for anything that is not a JWT with a numeric exp', () => {
    for (const t of ['opaque-token', 'a.b', 'a.b.c.d', `${b64({})}.not-base64-json.sig`, jwt({ exp: '1800003600' }), jwt({ iat: 1 }), `x.${b64([1])}.y`]) {
      expect([t, jwtTimes(t)]).toEqual([t, null]);
    }
  });
});

describe('PBX version', () => {
  it('parses the first three numbers', () => {
    expect(parsePbxVersion('20.0.7.1080')).toEqual([20, 0, 7]);
    expect(parsePbxVersion(' 20.0.10 ')).toEqual([20, 0, 10]);
    expect(parsePbxVersion('V20')).toBeNull();
    expect(parsePbxVersion(null)).toBeNull();
  });

  it('states expires_in in minutes up to 20.0.8 and in seconds from 20.0.9', () => {
    expect(['18.0.9', '20.0.4.1', '20.0.7.1080', '20.0.8.999'].map(expiresInIsSeconds)).toEqual([false, false, false, false]);
    expect(['20.0.9.2000', '20.0.10', '20.1.0', '21.0.0'].map(expiresInIsSeconds)).toEqual([true, true, true, true]);
    expect(expiresInIsSeconds('unknown')).toBeNull();
  });
});

describe('tokenLifetime', () => {
  it('takes exp - iat from the JWT, whatever expires_in and the version say', () => {
    const token = jwt({ iat: 1_000, exp: 1_000 + 3600 });
    expect(tokenLifetime(token, 60, '20.0.9', NOW)).toEqual({ ms: 3_600_000, source: 'jwt_exp' });
    expect(tokenLifetime(token, 3600, '20.0.7', NOW)).toEqual({ ms: 3_600_000, source: 'jwt_exp' });
  });

  it('measures exp against the clock when iat is missing, and ignores an exp already past', () => {
    expect(tokenLifetime(jwt({ exp: NOW / 1000 + 1800 }), 60, null, NOW)).toEqual({ ms: 1_800_000, source: 'jwt_exp' });
    expect(tokenLifetime(jwt({ exp: NOW / 1000 - 5 }), 60, '20.0.7', NOW)).toEqual({ ms: 3_600_000, source: 'expires_in_minutes' });
  });

  it('reads expires_in in the unit of a known version when the token does not decode', () => {
    expect(tokenLifetime('opaque', 60, '20.0.7.1080', NOW)).toEqual({ ms: 3_600_000, source: 'expires_in_minutes' });
    expect(tokenLifetime('opaque', 3600, '20.0.9.2000', NOW)).toEqual({ ms: 3_600_000, source: 'expires_in_seconds' });
  });

  it('guesses conservatively when the version is unknown', () => {
    // 60 is most likely minutes, but a wrong "minutes" would hold a dead token: capped at the floor.
    expect(tokenLifetime('opaque', 60, null, NOW)).toEqual({ ms: GUESS_FLOOR_MS, source: 'guess' });
    expect(tokenLifetime('opaque', 3, null, NOW)).toEqual({ ms: 3 * 60_000, source: 'guess' });
    // A large number reads as seconds.
    expect(tokenLifetime('opaque', 3600, null, NOW)).toEqual({ ms: 3_600_000, source: 'guess' });
    expect(tokenLifetime('opaque', undefined, '20.0.7', NOW)).toEqual({ ms: DEFAULT_LIFETIME_MS, source: 'default' });
  });
});
