// Belt and braces beside the CSP: the window's session fetches nothing from
// the network. The renderer reaches the relay over IPC, so every http(s),
// ws(s) or file request it makes is a bug or an attack and is cancelled.
import type { AppOrigin } from '../ipc/sender-guard.js';
import { isAppUrl } from '../ipc/sender-guard.js';

const ALWAYS_ALLOWED = new Set(['data:', 'blob:', 'devtools:']);

export function isAllowedRendererRequest(url: string, origin: AppOrigin): boolean {
  if (isAppUrl(url, origin)) return true;
  if (!URL.canParse(url)) return false;
  return ALWAYS_ALLOWED.has(new URL(url).protocol);
}
