// Builds the sign-in guard over the store: its throttle table and the
// device-token key, made once per store (every relay of a team shares it).
import crypto from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { StoreRepositories } from '../store/store-repositories.js';
import { DeviceTokens } from './device-token.js';
import { SignInGuard, type SignInPolicies } from './sign-in-guard.js';

export const DEVICE_TOKEN_SECRET = 'device_token_hmac_key';

export function createSignInGuard(
  store: Pick<StoreRepositories, 'signInThrottle' | 'secrets'>,
  opts: { clock: Clock; policies?: SignInPolicies },
): SignInGuard {
  const devices = new DeviceTokens(async () => Buffer.from(
    await store.secrets.getOrCreate(DEVICE_TOKEN_SECRET, () => crypto.randomBytes(32).toString('base64url'), opts.clock.now()),
    'base64url',
  ), opts.clock);
  return new SignInGuard(store.signInThrottle, devices, opts.clock, opts.policies);
}
