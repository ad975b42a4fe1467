// Sign-in for the browser dashboard (the desktop app needs none).
import { useState, type FormEvent, type ReactNode } from 'react';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { useRelayClient } from '../hooks/relay-context.js';
import { useAsyncAction } from '../hooks/use-async-action.js';

/** `after`: shown below the form (the desktop's way back from a team relay). */
export function LoginPage({ onSignedIn, notice, after }: { onSignedIn: (user: AdminUser) => void; notice?: string | null; after?: ReactNode }) {
  const client = useRelayClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAsyncAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await action.run(async () => {
      const user = await client.login(username, password);
      setPassword('');
      onSignedIn(user);
    });
  };

  return (
    <main className="login" id="main">
      <form className="login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">3CX Relay Companion</h1>
        <p className="muted">Sign in to the relay dashboard.</p>
        {notice && <p className="info-text" role="status">{notice}</p>}
        <div className="field">
          <label htmlFor="login-username">Username</label>
          <input id="login-username" autoComplete="username" value={username} required autoFocus
            onChange={(e) => setUsername(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="login-password">Password</label>
          <input id="login-password" type="password" autoComplete="current-password" value={password} required
            onChange={(e) => setPassword(e.target.value)} />
        </div>
        {action.error && <p className="form-error" role="alert">{action.error}</p>}
        <button type="submit" className="primary" disabled={action.busy}>{action.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      {after}
    </main>
  );
}
