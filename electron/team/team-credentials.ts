// The team relay's session token and device token, kept in the SecretStore
// (the OS keychain when there is one) and never in settings.json: the session
// token is a sign-in, and the device token is what keeps strangers' failed
// guesses from locking this computer out (contract §4).
import type { SecretStore } from '../secrets/secret-store.js';

export interface TeamCredentials {
  session(): Promise<string | null>;
  setSession(token: string | null): Promise<void>;
  device(): Promise<string | null>;
  setDevice(token: string | null): Promise<void>;
}

export function createTeamCredentials(store: SecretStore): TeamCredentials {
  const put = async (name: 'teamSessionToken' | 'teamDeviceToken', value: string | null) => {
    if (value) await store.set(name, value);
    else await store.delete(name);
  };
  return {
    session: () => store.get('teamSessionToken'),
    setSession: (token) => put('teamSessionToken', token),
    device: () => store.get('teamDeviceToken'),
    setDevice: (token) => put('teamDeviceToken', token),
  };
}
