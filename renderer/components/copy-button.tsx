// Copies a text to the clipboard and says so; where the clipboard is not
// available, selects the text so the person can copy it by hand.
import { useState } from 'react';

export function CopyButton({ text, label, selectFallback }: { text: string; label: string; selectFallback?: () => void }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus('copied');
    } catch {
      selectFallback?.();
      setStatus('failed');
    }
  };

  return (
    <>
      <button type="button" onClick={() => void copy()}>{label}</button>
      <span className="copy-status" role="status" aria-live="polite">
        {status === 'copied' && 'Copied to the clipboard.'}
        {status === 'failed' && 'Could not copy: the text is selected, press Ctrl+C.'}
      </span>
    </>
  );
}
