// OAuth2 client-credentials token endpoint as 3CX V20 runs it:
// POST /connect/token (form-urlencoded) -> {token_type, expires_in, access_token}.
// 3CX keeps one access token per client at a time, so issuing a token revokes
// the previous one for that client (docs/3cx-v20.md). The error body shape of
// a bad credential is [unconfirmed]; we answer the OAuth2 standard one.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { SimulatorFaults } from './faults.js';

interface IssuedToken { clientId: string; expiresAt: number }

export interface TokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  lifetimeS: number;
  now: () => number;
}

/** Which tokens are valid right now. */
export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly current = new Map<string, string>();

  constructor(private readonly opts: TokenIssuerOptions) {}

  credentialsMatch(clientId: string, secret: string): boolean {
    const a = Buffer.from(`${clientId}\n${secret}`);
    const b = Buffer.from(`${this.opts.clientId}\n${this.opts.clientSecret}`);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  issue(clientId: string): { token: string; expiresIn: number } {
    const previous = this.current.get(clientId);
    if (previous) this.tokens.delete(previous);
    const token = jwtLike(clientId, this.opts.now(), this.opts.lifetimeS);
    this.tokens.set(token, { clientId, expiresAt: this.opts.now() + this.opts.lifetimeS * 1000 });
    this.current.set(clientId, token);
    return { token, expiresIn: this.opts.lifetimeS };
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

/** Looks like 3CX's JWTs ("eyJ..."); only the simulator itself reads it (as an opaque key). */
function jwtLike(clientId: string, nowMs: number, lifetimeS: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ client_id: clientId, iat, exp: iat + lifetimeS, jti: randomBytes(8).toString('hex') }));
  return `${header}.${payload}.${b64url(randomBytes(32))}`;
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
      res.status(400).json(oauthError('invalid_client', 'Invalid client credentials'));
      return;
    }
    const { token, expiresIn } = issuer.issue(clientId);
    res.set('Cache-Control', 'no-store').json({ token_type: 'Bearer', expires_in: expiresIn, access_token: token });
  });
  return router;
}
