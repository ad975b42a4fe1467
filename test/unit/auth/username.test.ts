import { describe, expect, it } from 'vitest';
import { canonicalUsername, sameUsername } from '../../../relay/auth/username.js';

describe('usernames', () => {
  it('compare exactly, as the store does', () => {
    expect(sameUsername('admin', 'admin')).toBe(true);
    expect(sameUsername('admin', 'ADMIN')).toBe(false);
    expect(sameUsername('admin', 'admin ')).toBe(false);
  });

  it('a string that cannot be a username names no account', () => {
    expect(canonicalUsername('alice.b-c_1')).toBe('alice.b-c_1');
    for (const s of ['', 'two words', 'pässword', 'x'.repeat(65), 'a/b']) expect(canonicalUsername(s)).toBeNull();
    expect(sameUsername('two words', 'two words')).toBe(false);
  });
});
