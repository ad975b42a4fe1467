// "Disconnected from relay — reconnecting…": announced politely to screen
// readers and gone by itself once the live link is back.
import { useLinkState } from '../hooks/use-link-state.js';

export function LinkBanner() {
  const state = useLinkState();
  return (
    <div className="link-banner-region" aria-live="polite" aria-atomic="true">
      {state === 'reconnecting' && (
        <p className="link-banner" role="status">
          Disconnected from relay — reconnecting… Figures on screen may be out of date.
        </p>
      )}
    </div>
  );
}
