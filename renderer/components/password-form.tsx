// A new password, typed twice.
import { useState, type FormEvent } from 'react';
import { useAsyncAction } from '../hooks/use-async-action.js';

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
  const [done, setDone] = useState(false);
  const { busy, error, setError, run } = useAsyncAction();
  const id = `pw-${username}`;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (password !== repeat) return setError('The two passwords differ.');
    if (!(await run(() => onSave(password, current)))) return;
    setCurrent('');
    setPassword('');
    setRepeat('');
    setDone(true);
    onDone?.();
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
      {error && <p className="form-error" role="alert">{error}</p>}
      {done && <p className="info-text" role="status">Password changed.</p>}
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : submitLabel}</button>
    </form>
  );
}
