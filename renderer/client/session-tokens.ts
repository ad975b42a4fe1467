// Where the browser dashboard keeps its credentials (contract §5): the
// session token in sessionStorage (this origin and port only, gone with the
// tab, kept across a reload) and the device token in localStorage (it must
// outlive the tab: it is what proves this browser signed in before, so a
// stranger's failed guesses cannot lock it out). Never a cookie: browsers
// send cookies for 127.0.0.1 to every local port.

export interface SessionTokens {
  session(): string | null;
  setSession(token: string | null): void;
  device(): string | null;
  setDevice(token: string): void;
}

const SESSION_KEY = 'relay.session';
const DEVICE_KEY = 'relay.device';

/** Storage can be switched off (privacy modes); the dashboard then simply asks to sign in again. */
function guarded(storage: () => Storage) {
  return {
    get(key: string): string | null {
      try {
        return storage().getItem(key);
      } catch {
        return null;
      }
    },
    set(key: string, value: string | null): void {
      try {
        if (value === null) storage().removeItem(key);
        else storage().setItem(key, value);
      } catch {
        // not kept: the next reload asks to sign in
      }
    },
  };
}

export function browserSessionTokens(win: Pick<Window, 'sessionStorage' | 'localStorage'>): SessionTokens {
  const session = guarded(() => win.sessionStorage);
  const local = guarded(() => win.localStorage);
  return {
    session: () => session.get(SESSION_KEY),
    setSession: (token) => session.set(SESSION_KEY, token),
    device: () => local.get(DEVICE_KEY),
    setDevice: (token) => local.set(DEVICE_KEY, token),
  };
}

/** Kept in memory only (tests, or no window). */
export function memorySessionTokens(): SessionTokens {
  let session: string | null = null;
  let device: string | null = null;
  return {
    session: () => session,
    setSession: (token) => void (session = token),
    device: () => device,
    setDevice: (token) => void (device = token),
  };
}
