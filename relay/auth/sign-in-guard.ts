// Who may try a password, and how often (contract §4; OWASP "Slow Down
// Online Guessing Attacks with Device Cookies"). Every client of a loopback
// relay has the same address, so nothing here is per address:
// - a browser that signed in before as this user presents its device token
//   and spends its own budget (DEVICE_POLICY); strangers cannot touch it;
// - every other attempt on the account spends the account's shared untrusted
//   budget (UNTRUSTED_ACCOUNT_POLICY: progressive delays, ~100 a day);
// - names that are no account are never charged to one (the caller decides
//   that before asking here).
// Counts live in the store, so a restart does not hand out a fresh budget.
import type { Clock } from '../core/clock.js';
import { RelayError } from '../core/relay-error.js';
import type { SignInThrottleRepository } from '../store/sign-in-throttle-repository.js';
import type { DeviceTokens } from './device-token.js';
import { admit, DEVICE_POLICY, refund, UNTRUSTED_ACCOUNT_POLICY, type ThrottlePolicy } from './throttle-policy.js';

export interface SignInPolicies {
  untrustedAccount?: ThrottlePolicy;
  device?: ThrottlePolicy;
}

/** 429 with the seconds until the next attempt may succeed (for Retry-After). */
export class LoginThrottledError extends RelayError {
  constructor(readonly retryAfterS: number) {
    super('rate_limited', 429, `too many sign-in attempts; try again in ${retryAfterS} s`);
  }
}

/** One admitted attempt; hand it back to succeeded() after a correct password. */
export interface SignInAttempt {
  readonly key: string;
  /** Made with a valid device token of this user. */
  readonly trusted: boolean;
}

export class SignInGuard {
  private readonly untrusted: ThrottlePolicy;
  private readonly device: ThrottlePolicy;

  constructor(
    private readonly repo: Pick<SignInThrottleRepository, 'update'>,
    private readonly devices: DeviceTokens,
    private readonly clock: Clock,
    policies: SignInPolicies = {},
  ) {
    this.untrusted = policies.untrustedAccount ?? UNTRUSTED_ACCOUNT_POLICY;
    this.device = policies.device ?? DEVICE_POLICY;
  }

  /**
   * Charges one attempt on `username` (an existing account's exact name) to
   * the device when `deviceToken` is valid for that user, else to the
   * account's untrusted budget. Throws LoginThrottledError when that budget
   * says wait.
   */
  async begin(username: string, deviceToken?: string): Promise<SignInAttempt> {
    const device = await this.devices.verify(deviceToken, username);
    const attempt: SignInAttempt = device
      ? { key: `device:${device.deviceId}`, trusted: true }
      : { key: `account:${username}`, trusted: false };
    const policy = attempt.trusted ? this.device : this.untrusted;
    const now = this.clock.now();
    const result = await this.repo.update(attempt.key, now, (state) => admit(state, now, policy));
    if (!result.admitted) throw new LoginThrottledError(Math.max(1, Math.ceil(result.retryAfterMs / 1000)));
    return attempt;
  }

  /**
   * The password was right: a device's count starts over (a person who
   * mistyped is not slowed later); the shared account budget only gets this
   * attempt back, so a stranger's count stands.
   */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    const now = this.clock.now();
    await this.repo.update(attempt.key, now, (state) => ({
      next: attempt.trusted || !state ? null : refund(state, now),
    }));
  }

  /** The attempt ended without a verdict (e.g. the hasher was busy): not a guess, so give it back. */
  async abandoned(attempt: SignInAttempt): Promise<void> {
    const now = this.clock.now();
    await this.repo.update(attempt.key, now, (state) => ({ next: state ? refund(state, now) : undefined }));
  }

  /** A new device token for a browser that just signed in as `username`. */
  issueDeviceToken(username: string): Promise<string> {
    return this.devices.issue(username);
  }
}
