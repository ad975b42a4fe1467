// The RelayClient and the signed-in user, handed down to every page.
import { createContext, useContext } from 'react';
import type { AdminUser } from '../../relay/contract/api-types.js';
import type { RelayClient } from '../client/relay-client.js';

export const RelayClientContext = createContext<RelayClient | null>(null);
export const SessionContext = createContext<AdminUser | null>(null);

export function useRelayClient(): RelayClient {
  const client = useContext(RelayClientContext);
  if (!client) throw new Error('useRelayClient outside <RelayClientContext>');
  return client;
}

export function useSession(): AdminUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useSession outside a signed-in <SessionContext>');
  return user;
}

/** Admin controls render only for admins; the relay refuses them to viewers anyway. */
export function useIsAdmin(): boolean {
  return useContext(SessionContext)?.role === 'admin';
}
