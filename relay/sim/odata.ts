// Error body and bearer check shared by the XAPI and Call Control routes.
// 3CX answers errors with an OData error body ([unconfirmed] exact codes).
import type { RequestHandler, Response } from 'express';
import type { SimulatorFaults } from './faults.js';
import type { TokenIssuer } from './token-endpoint.js';

export function sendODataError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** 500 fault first (a broken PBX fails before auth), then the bearer token. */
export function requireBearer(issuer: TokenIssuer, faults: SimulatorFaults): RequestHandler {
  return (req, res, next) => {
    if (faults.status500) {
      sendODataError(res, 500, 'InternalServerError', 'simulated server failure');
      return;
    }
    const token = bearerToken(req.get('authorization'));
    if (!token || !issuer.isValid(token)) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"').status(401).end();
      return;
    }
    next();
  };
}
