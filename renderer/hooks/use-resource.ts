// Loads one piece of relay state and keeps it fresh without a refresh button:
// light polling, a reload when a relevant live frame arrives (debounced), and
// after the live link recovers or the relay asks for a resync.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RelayFrame } from '../../relay/contract/api-types.js';
import { errorMessage } from '../client/relay-api-error.js';
import { useFrames, useLinkRecovered } from './use-frames.js';

export interface Resource<T> {
  data: T | undefined;
  /** The last load's failure, shown to the person; data may still hold the last good value. */
  error: string | null;
  loading: boolean;
  reload(): void;
}

export interface ResourceOptions {
  pollMs?: number;
  /** Frames that make the data stale. */
  refreshOn?: (frame: RelayFrame) => boolean;
}

const FRAME_DEBOUNCE_MS = 300;

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], options: ResourceOptions = {}): Resource<T> {
  const [state, setState] = useState<{ data: T | undefined; error: string | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const loadRef = useRef(load);
  const optionsRef = useRef(options);
  useEffect(() => {
    loadRef.current = load;
    optionsRef.current = options;
  });
  // Only the newest request may write; unmount invalidates them all.
  const requestId = useRef(0);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(() => {
    const id = ++requestId.current;
    loadRef.current().then(
      (data) => {
        if (id === requestId.current) setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (id === requestId.current) setState((s) => ({ data: s.data, error: errorMessage(err), loading: false }));
      },
    );
  }, []);

  useEffect(() => {
    setState((s) => ({ ...s, loading: true }));
    reload();
    return () => {
      requestId.current += 1;
    };
    // The caller names what the load depends on (like useEffect deps).
  }, deps);

  const { pollMs } = options;
  useEffect(() => {
    if (!pollMs) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, reload]);

  useEffect(
    () => () => {
      if (debounce.current) clearTimeout(debounce.current);
    },
    [],
  );

  useFrames((frame) => {
    const stale = frame.type === 'resync_required' || optionsRef.current.refreshOn?.(frame) === true;
    if (!stale) return;
    if (debounce.current) clearTimeout(debounce.current);
    debounce.current = setTimeout(() => {
      debounce.current = null;
      reload();
    }, FRAME_DEBOUNCE_MS);
  });
  useLinkRecovered(reload);

  return { ...state, reload };
}
