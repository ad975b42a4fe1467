// Subscribes a component to the relay's live frames and link-state changes.
import { useEffect, useRef } from 'react';
import type { RelayFrame } from '../../relay/contract/api-types.js';
import type { LinkState } from '../client/relay-client.js';
import { useRelayClient } from './relay-context.js';

export function useFrames(listener: (frame: RelayFrame) => void): void {
  const client = useRelayClient();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => client.subscribe((frame) => latest.current(frame)), [client]);
}

/** Calls `onRecovered` when the live link comes back after an outage. */
export function useLinkRecovered(onRecovered: () => void): void {
  const client = useRelayClient();
  const latest = useRef(onRecovered);
  useEffect(() => {
    latest.current = onRecovered;
  });
  useEffect(() => {
    let previous: LinkState = client.linkState;
    return client.onLinkState((state) => {
      if (state === 'live' && previous === 'reconnecting') latest.current();
      previous = state;
    });
  }, [client]);
}
