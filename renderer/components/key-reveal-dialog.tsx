// The one time a new API key is visible. The parent drops the key from its
// state when this closes, so it cannot be shown again.
import { useRef } from 'react';
import type { CreatedApiKey } from '../../relay/contract/api-types.js';
import { CopyButton } from './copy-button.js';
import { Dialog } from './dialog.js';

export function KeyRevealDialog({ created, clientName, onClose }: { created: CreatedApiKey; clientName: string; onClose: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  return (
    <Dialog title={`API key for ${clientName}`} onClose={onClose}>
      <p className="warning-text" role="note">
        {created.warning || 'Copy this key now: it is shown only once and cannot be recovered.'}
      </p>
      <label htmlFor="new-api-key">New API key</label>
      <div className="key-field">
        <input id="new-api-key" ref={field} readOnly value={created.apiKey} className="mono" data-autofocus
          onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={created.apiKey} label="Copy key" selectFallback={() => field.current?.select()} />
      </div>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>I have saved the key</button>
      </div>
    </Dialog>
  );
}
