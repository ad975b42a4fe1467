// The desktop app as a client of a team relay (issue 14, contract §7): which
// relay the dashboard talks to, the team sign-in, and the HTTP requests the
// renderer's HTTP client sends through the main process. Shared by main,
// preload and renderer, so no Node API here.
import { z } from 'zod';
import { isLoopbackHost } from './loopback.js';

/** `own`: the desktop runs its relay in-process (IPC). `team`: it is a client of a team relay (HTTP). */
export type DesktopMode = 'own' | 'team';

/** What the renderer needs at start to pick its client. */
export type ClientModeView =
  | { mode: 'own' }
  | { mode: 'team'; url: string };

export interface TeamSettingsView {
  /** The team relay's origin, e.g. `https://relay.example.com:8443`; '' until one is set. */
  url: string;
  /** Who last signed in, for the form; null before any sign-in. */
  username: string | null;
  /** A session token is held in the keychain for `url`. */
  signedIn: boolean;
}

export interface TeamSignInInput {
  url: string;
  username: string;
  password: string;
}

/** After a mode change: `reload` when the window must reload to pick the new client. */
export interface ModeChangeResult {
  mode: DesktopMode;
  reload: boolean;
}

/** One request of the renderer's HTTP client, sent by the main process (which adds the session). */
export interface TeamHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query on the team relay, e.g. `/admin/errors?limit=50`. */
  path: string;
  /** JSON text, as the HTTP client would send it. */
  body?: string;
}

export interface TeamHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Why `value` cannot be a team relay URL, or null when it can. A team relay
 * is reached over the network with a session token, so anything but loopback
 * needs https; only the origin is kept (no path, no credentials).
 */
export function teamRelayUrlProblem(value: string): string | null {
  const v = value.trim();
  if (v === '') return 'Enter the team relay URL, e.g. https://relay.example.com:8443.';
  if (!URL.canParse(v)) return 'This is not a URL; write it like https://relay.example.com:8443.';
  const u = new URL(v);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'The URL must start with https://.';
  if (u.username || u.password) return 'Leave the user name and password out of the URL; enter them below.';
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    return 'A team relay on another machine must use https:// (the session token would otherwise cross the network in clear).';
  }
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return 'Give only the relay address, without a path (e.g. https://relay.example.com:8443).';
  return null;
}

/** The URL reduced to its origin (`https://host[:port]`); call only when `teamRelayUrlProblem` is null. */
export function teamRelayOrigin(value: string): string {
  return new URL(value.trim()).origin;
}

export const teamRelayUrl = z.string().max(2048).superRefine((v, ctx) => {
  const problem = teamRelayUrlProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const teamSignInInput = z.strictObject({
  url: teamRelayUrl,
  username: z.string().trim().min(1).max(200),
  // The relay's own limit is 72 bytes of UTF-8; it answers 400 past that, which the form shows.
  password: z.string().min(1).max(1000),
});

/** Only the relay's API paths; never another host, never a path that climbs out. */
const teamPath = z.string().max(4096).refine(
  (p) => /^\/(admin|relay)\/[^#\\]*$/.test(p) && !p.includes('..') && !p.includes('//'),
  'must be a path under /admin/ or /relay/',
);

export const teamHttpRequest = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
  path: teamPath,
  body: z.string().max(1024 * 1024).optional(),
});
