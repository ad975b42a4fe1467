// The live link's state, for the "disconnected from relay" banner.
import { useEffect, useState } from 'react';
import type { LinkState } from '../client/relay-client.js';
import { useRelayClient } from './relay-context.js';

export function useLinkState(): LinkState {
  const client = useRelayClient();
  const [state, setState] = useState<LinkState>(client.linkState);
  useEffect(() => {
    setState(client.linkState);
    return client.onLinkState(setState);
  }, [client]);
  return state;
}
