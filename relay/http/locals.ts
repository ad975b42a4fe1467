// Typed access to what the auth middlewares attach to a response, instead of
// augmenting Express's global types.
import type { Response } from 'express';
import { RelayError } from '../core/relay-error.js';
import type { AdminSessionInfo, ApiKeyPrincipal } from './http-deps.js';

export function setApiKey(res: Response, key: ApiKeyPrincipal): void {
  res.locals.apiKey = key;
}
export function apiKeyOf(res: Response): ApiKeyPrincipal | undefined {
  return res.locals.apiKey as ApiKeyPrincipal | undefined;
}

export function setAdminSession(res: Response, session: AdminSessionInfo & { token: string }): void {
  res.locals.adminSession = session;
}
export function adminSessionOf(res: Response): AdminSessionInfo & { token: string } {
  const s = res.locals.adminSession as (AdminSessionInfo & { token: string }) | undefined;
  // Routes are mounted behind adminAuth; reaching here without one is a wiring bug.
  if (!s) throw new RelayError('internal_error', 500, 'admin route reached without a session');
  return s;
}
