// bcrypt for admin passwords (bcryptjs: pure JS, no native build). The cost
// is a parameter so tests can run at the minimum while production uses 12.
import crypto from 'node:crypto';
import bcrypt from 'bcryptjs';

export const PRODUCTION_BCRYPT_COST = 12;

export class PasswordHasher {
  private dummyHash: Promise<string> | null = null;

  constructor(readonly cost: number = PRODUCTION_BCRYPT_COST) {}

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  /**
   * Spends the same work as a real check and always fails: used for unknown
   * usernames so response time does not tell which usernames exist.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash(crypto.randomBytes(16).toString('base64url'), this.cost);
    await bcrypt.compare(password, await this.dummyHash);
    return false;
  }
}
