// No navigation away from the app and no new windows. A link to an https
// site opens in the person's browser, after checking it is a plain https URL;
// anything else is dropped.
import type { AppOrigin } from '../ipc/sender-guard.js';
import { isAppUrl } from '../ipc/sender-guard.js';

/** https only, with a host, without credentials (which could phish through the address bar). */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > 2048 || !URL.canParse(url)) return false;
  const u = new URL(url);
  return u.protocol === 'https:' && u.hostname !== '' && !u.username && !u.password;
}

export type WindowOpenDecision = { action: 'deny' };

/** The parts of WebContents the guard hooks. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void; url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenDecision): void;
}

export function installNavigationGuards(
  contents: GuardedContents,
  opts: { origin: AppOrigin; openExternal: (url: string) => void; onBlocked?: (what: string, url: string) => void },
): void {
  const blocked = opts.onBlocked ?? (() => {});
  const keepInApp = (event: { preventDefault(): void; url: string }) => {
    // Full-page loads inside our own app (a reload, a route) are fine; anything else is stopped.
    if (isAppUrl(event.url, opts.origin)) return;
    event.preventDefault();
    blocked('navigation', event.url);
    if (isSafeExternalUrl(event.url)) opts.openExternal(event.url);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    blocked('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) opts.openExternal(url);
    else blocked('window.open', url);
    return { action: 'deny' };
  });
}
