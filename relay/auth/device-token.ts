// OWASP's device cookie, carried in JSON instead of a cookie (contract §4,
// §5): after a correct password the browser gets a token naming the user
// and a random device id, signed with HMAC-SHA256 under a secret that lives
// in the store. Presented with a later sign-in of the same user, it lets the
// attempt count against that device's own budget instead of the budget all
// strangers share, so strangers cannot lock that browser out.
import crypto from 'node:crypto';
import type { Clock } from '../core/clock.js';

/** Tokens older than this are treated as absent (the browser then signs in as untrusted and gets a new one). */
export const DEVICE_TOKEN_TTL_MS = 180 * 24 * 3_600_000;
const VERSION = 'd1';
const PART = /^[A-Za-z0-9_-]+$/;

export interface VerifiedDevice {
  /** Stable per browser until its next successful sign-in; keys the device's failure count. */
  deviceId: string;
}

export class DeviceTokens {
  private key: Promise<Buffer> | null = null;

  /** `loadSecret` is called once, on first use (the store's secret may be created then). */
  constructor(private readonly loadSecret: () => Promise<Buffer>, private readonly clock: Clock) {}

  async issue(username: string): Promise<string> {
    const payload = [VERSION, b64(username), crypto.randomBytes(16).toString('base64url'), this.clock.now().toString(36)].join('.');
    return `${payload}.${await this.mac(payload)}`;
  }

  /** The device, when `token` is ours, unexpired and was issued to `username`; otherwise null. */
  async verify(token: string | undefined, username: string): Promise<VerifiedDevice | null> {
    if (token === undefined || token.length > 512) return null;
    const parts = token.split('.');
    if (parts.length !== 5 || !parts.every((p) => PART.test(p))) return null;
    const [version, user, deviceId, issued, mac] = parts as [string, string, string, string, string];
    if (version !== VERSION) return null;
    const expected = Buffer.from(await this.mac(parts.slice(0, 4).join('.')), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return null;
    if (user !== b64(username)) return null;
    const issuedAt = parseInt(issued, 36);
    if (!Number.isFinite(issuedAt) || this.clock.now() - issuedAt > DEVICE_TOKEN_TTL_MS) return null;
    return { deviceId };
  }

  private async mac(payload: string): Promise<string> {
    const load = this.key ?? this.loadSecret();
    this.key = load;
    // A failed load (store briefly unreachable) is retried on the next call.
    load.catch(() => { if (this.key === load) this.key = null; });
    return crypto.createHmac('sha256', await load).update(payload).digest('base64url');
  }
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
