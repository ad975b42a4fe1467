// A new password, typed twice.
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../client/relay-api-error.js';

export function PasswordForm({ username, onSave, onDone, submitLabel, askCurrent = false }: {
  username: string;
  /** `current` is the current password when `askCurrent` is set, else ''. */
  onSave: (password: string, current: string) => Promise<void>;
  onDone?: () => void;
  submitLabel: string;
  askCurrent?: boolean;
}) {
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const id = `pw-${username}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== repeat) {
      setStatus({ ok: false, text: 'The two passwords differ.' });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      await onSave(password, current);
      setCurrent('');
      setPassword('');
      setRepeat('');
      setStatus({ ok: true, text: 'Password changed.' });
      onDone?.();
    } catch (err) {
      setStatus({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack-form" onSubmit={(e) => void submit(e)}>
      {askCurrent && (
        <div className="field">
          <label htmlFor={`${id}-current`}>Current password</label>
          <input id={`${id}-current`} type="password" value={current} onChange={(e) => setCurrent(e.target.value)}
            required autoComplete="current-password" data-autofocus />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-new`}>New password for {username}</label>
        <input id={`${id}-new`} type="password" value={password} onChange={(e) => setPassword(e.target.value)}
          required minLength={10} autoComplete="new-password" {...(askCurrent ? {} : { 'data-autofocus': true })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>Repeat the new password</label>
        <input id={`${id}-repeat`} type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)}
          required minLength={10} autoComplete="new-password" />
      </div>
      {status && <p className={status.ok ? 'info-text' : 'form-error'} role={status.ok ? 'status' : 'alert'}>{status.text}</p>}
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
    </form>
  );
}
