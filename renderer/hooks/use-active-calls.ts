// The live active-call list: fetched once, then replaced by every `calls`
// frame, with a slow poll as a safety net. Each call keeps the offset between
// this machine's clock and the PBX's (`ServerNow`) so durations tick right
// even when the two clocks disagree.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ActiveCall } from '../../relay/contract/api-types.js';
import { errorMessage } from '../client/relay-api-error.js';
import { useRelayClient } from './relay-context.js';
import { useFrames, useLinkRecovered } from './use-frames.js';
import type { Resource } from './use-resource.js';

export interface LiveCall extends ActiveCall {
  /** Local clock minus PBX clock when this state was received, in ms. */
  skewMs: number;
}

export function withSkew(calls: readonly ActiveCall[], receivedAt: number): LiveCall[] {
  return calls.map((call) => {
    const serverNow = Date.parse(call.ServerNow);
    return { ...call, skewMs: Number.isNaN(serverNow) ? 0 : receivedAt - serverNow };
  });
}

const POLL_MS = 15_000;

export function useActiveCalls(): Resource<LiveCall[]> {
  const client = useRelayClient();
  const [calls, setCalls] = useState<LiveCall[] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  // A fetch that started before a newer frame arrived must not overwrite it.
  const version = useRef(0);
  const alive = useRef(true);

  const reload = useCallback(() => {
    const started = ++version.current;
    client.activeCalls().then(
      (value) => {
        if (!alive.current || started !== version.current) return;
        setCalls(withSkew(value, Date.now()));
        setError(null);
      },
      (err: unknown) => {
        if (alive.current && started === version.current) setError(errorMessage(err));
      },
    );
  }, [client]);

  useEffect(() => {
    alive.current = true;
    reload();
    const timer = setInterval(reload, POLL_MS);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [reload]);

  useFrames((frame) => {
    if (frame.type === 'calls') {
      version.current += 1;
      setCalls(withSkew(frame.value, Date.now()));
      setError(null);
    } else if (frame.type === 'resync_required') {
      reload();
    }
  });
  useLinkRecovered(reload);

  return { data: calls, error, loading: calls === undefined && error === null, reload };
}
