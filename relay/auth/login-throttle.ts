// Login attempts limited per username AND per client address, with
// rate-limiter-flexible's in-memory limiter. Every attempt takes a point up
// front (so a burst of parallel guesses cannot all slip past a check made
// before the failures were counted); a success clears the username's count
// and gives the address its point back.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RelayError } from '../core/relay-error.js';

export interface ThrottleWindow {
  /** Attempts allowed per window. */
  attempts: number;
  /** Window length in seconds. */
  windowS: number;
}

export interface LoginThrottleOptions {
  /** Default 5 per 15 min. */
  perUser?: ThrottleWindow;
  /** Default 20 per 15 min. */
  perAddress?: ThrottleWindow;
}

/** 429 with the seconds until the next attempt may succeed (for Retry-After). */
export class LoginThrottledError extends RelayError {
  constructor(readonly retryAfterS: number) {
    super('rate_limited', 429, `too many login attempts; try again in ${retryAfterS} s`);
  }
}

export class LoginThrottle {
  private readonly byUser: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(opts: LoginThrottleOptions = {}) {
    const user = opts.perUser ?? { attempts: 5, windowS: 900 };
    const address = opts.perAddress ?? { attempts: 20, windowS: 900 };
    this.byUser = new RateLimiterMemory({ keyPrefix: 'login_user', points: user.attempts, duration: user.windowS });
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'login_addr', points: address.attempts, duration: address.windowS });
  }

  /** Takes one attempt for this user and address; throws LoginThrottledError when either is used up. */
  async begin(username: string, address: string): Promise<void> {
    await consume(this.byAddress, address);
    await consume(this.byUser, userKey(username));
  }

  /** After a correct password: the user's failures are forgiven, the address's attempt returned. */
  async succeeded(username: string, address: string): Promise<void> {
    await this.byUser.delete(userKey(username));
    await this.byAddress.reward(address, 1);
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key, 1);
  } catch (e) {
    if (e instanceof RateLimiterRes) throw new LoginThrottledError(Math.max(1, Math.ceil(e.msBeforeNext / 1000)));
    throw e;
  }
}
