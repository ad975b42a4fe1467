// OAuth2 client-credentials token endpoint as 3CX V20 runs it:
// POST /connect/token (form-urlencoded) -> {token_type, expires_in, access_token, refresh_token}.
// 3CX keeps one access token per client at a time, so issuing a token revokes
// the previous one for that client; `expires_in` is in the release's unit
// (minutes up to 20.0.8) while the JWT's `exp` is the unit-free truth; bad
// credentials answer 401 `unauthorized` (all per docs/3cx-v20.md).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { SimulatorFaults } from './faults.js';
import { expiresInFor, type PbxProfile } from './pbx-profile.js';

interface IssuedToken { clientId: string; expiresAt: number }

export interface TokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  lifetimeS: number;
  profile: PbxProfile;
  now: () => number;
}

/** Which tokens are valid right now. */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly current = new Map<string, string>();
  /** Signs the simulator's JWTs (HS256): a real JWT any client can decode. */
  private readonly signingKey = randomBytes(32);

  constructor(private readonly opts: TokenIssuerOptions) {}

  credentialsMatch(clientId: string, secret: string): boolean {
    const a = Buffer.from(`${clientId}\n${secret}`);
    const b = Buffer.from(`${this.opts.clientId}\n${this.opts.clientSecret}`);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  issue(clientId: string, opaque = false): { token: string; expiresIn: number } {
    const previous = this.current.get(clientId);
    if (previous) this.tokens.delete(previous);
    const token = opaque ? randomBytes(24).toString('base64url') : signedJwt(this.signingKey, clientId, this.opts.now(), this.opts.lifetimeS);
    this.tokens.set(token, { clientId, expiresAt: this.opts.now() + this.opts.lifetimeS * 1000 });
    this.current.set(clientId, token);
    return { token, expiresIn: expiresInFor(this.opts.profile, this.opts.lifetimeS) };
  }

  isValid(token: string): boolean {
    const t = this.tokens.get(token);
    if (!t) return false;
    if (t.expiresAt <= this.opts.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  /** Fault: every token issued so far is void. */
  expireAll(): void {
    this.tokens.clear();
    this.current.clear();
  }
}

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A JWT like 3CX's ("eyJ..."), HS256-signed with the simulator's key; `exp` - `iat` is the lifetime in seconds. */
function signedJwt(key: Buffer, clientId: string, nowMs: number, lifetimeS: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ client_id: clientId, iat, nbf: iat, exp: iat + lifetimeS, jti: randomBytes(8).toString('hex') }));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${b64url(signature)}`;
}

function oauthError(error: string, description: string) {
  return { error, error_description: description };
}

export function tokenRouter(issuer: TokenIssuer, faults: SimulatorFaults, onRequest: () => void): Router {
  const router = express.Router();
  router.post('/connect/token', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    onRequest();
    if (faults.tokenEndpointStatus !== null) {
      res.status(faults.tokenEndpointStatus).json(oauthError('server_error', 'simulated token endpoint failure'));
      return;
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = typeof body.grant_type === 'string' ? body.grant_type : '';
    const clientId = typeof body.client_id === 'string' ? body.client_id : '';
    const secret = typeof body.client_secret === 'string' ? body.client_secret : '';
    if (!req.is('application/x-www-form-urlencoded')) {
      res.status(400).json(oauthError('invalid_request', 'expected application/x-www-form-urlencoded'));
      return;
    }
    if (grantType !== 'client_credentials') {
      res.status(400).json(oauthError('unsupported_grant_type', 'only client_credentials is supported'));
      return;
    }
    if (faults.rejectTokens || !issuer.credentialsMatch(clientId, secret)) {
      res.status(401).json(oauthError('unauthorized', 'The request requires valid user authentication.'));
      return;
    }
    const { token, expiresIn } = issuer.issue(clientId, faults.opaqueTokens);
    res.set('Cache-Control', 'no-store').json({ token_type: 'Bearer', expires_in: expiresIn, access_token: token, refresh_token: null });
  });
  return router;
}
