// Busy flag and the relay's refusal message for a button or form that calls
// the relay, so every control reports failures the same way.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../client/relay-api-error.js';

export interface AsyncAction {
  busy: boolean;
  error: string | null;
  setError(message: string | null): void;
  /** Runs `action`; true when it succeeded. Never rejects. */
  run(action: () => Promise<void>): Promise<boolean>;
}

export function useAsyncAction(): AsyncAction {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      if (alive.current) setError(errorMessage(err));
      return false;
    } finally {
      if (alive.current) setBusy(false);
    }
  }, []);

  return { busy, error, setError, run };
}
