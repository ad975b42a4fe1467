import { describe, expect, it } from 'vitest';
import { PasswordHasher, PRODUCTION_BCRYPT_COST } from '../../../relay/auth/password-hasher.js';

describe('PasswordHasher', () => {
  it('hashes with bcrypt at the given cost and verifies', async () => {
    const h = new PasswordHasher(4);
    const hash = await h.hash('correct horse battery');
    expect(hash).toMatch(/^\$2[aby]\$04\$/);
    expect(hash).not.toContain('correct horse');
    expect(await h.verify('correct horse battery', hash)).toBe(true);
    expect(await h.verify('correct horse batterY', hash)).toBe(false);
    expect(await h.hash('correct horse battery')).not.toBe(hash); // salted
  });

  it('uses cost 12 unless told otherwise', () => {
    expect(new PasswordHasher().cost).toBe(PRODUCTION_BCRYPT_COST);
    expect(PRODUCTION_BCRYPT_COST).toBe(12);
  });

  it('verifyNothing always fails', async () => {
    expect(await new PasswordHasher(4).verifyNothing('anything')).toBe(false);
  });
});
