// A new dashboard user: name, first password, role.
import { useState, type FormEvent } from 'react';
import type { Role } from '../../relay/contract/api-types.js';
import { useAsyncAction } from '../hooks/use-async-action.js';

export function AddUserForm({ onAdd }: { onAdd: (username: string, password: string, role: Role) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const action = useAsyncAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const added = await action.run(() => onAdd(username.trim(), password, role));
    if (!added) return;
    setUsername('');
    setPassword('');
    setRole('viewer');
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      <div className="field">
        <label htmlFor="new-username">Username</label>
        <input id="new-username" value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={64}
          pattern="[A-Za-z0-9._\-]+" title="letters, digits, dot, dash and underscore" autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="new-password">Password</label>
        <input id="new-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required
          minLength={10} autoComplete="new-password" aria-describedby="new-password-hint" />
        <span id="new-password-hint" className="hint">At least 10 characters.</span>
      </div>
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          <option value="viewer">Viewer (read only)</option>
          <option value="admin">Admin</option>
        </select>
      </div>
      <button type="submit" className="primary" disabled={action.busy}>{action.busy ? 'Adding…' : 'Add user'}</button>
      {action.error && <p className="form-error" role="alert">{action.error}</p>}
    </form>
  );
}
