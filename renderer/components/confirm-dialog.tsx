// "Are you sure?" for destructive actions. Runs the action itself so it can
// show progress and the relay's refusal without closing.
import type { ReactNode } from 'react';
import { useAsyncAction } from '../hooks/use-async-action.js';
import { Dialog } from './dialog.js';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const { busy, error, run } = useAsyncAction();

  const confirm = async () => {
    if (await run(onConfirm)) onClose();
  };

  return (
    <Dialog title={title} onClose={onClose} role="alertdialog">
      <div className="dialog-body">{children}</div>
      {error && <p className="form-error" role="alert">{error}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>Cancel</button>
        <button type="button" className="danger" onClick={() => void confirm()} disabled={busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
