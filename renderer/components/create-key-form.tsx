// Name + permissions for a new API key.
import { useState, type FormEvent } from 'react';
import type { CreatedApiKey, Permission } from '../../relay/contract/api-types.js';
import { errorMessage } from '../client/relay-api-error.js';

export function CreateKeyForm({ onCreate }: { onCreate: (name: string, permissions: Permission[]) => Promise<CreatedApiKey> }) {
  const [name, setName] = useState('');
  const [read, setRead] = useState(true);
  const [control, setControl] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const permissions: Permission[] = [...(read ? ['read' as const] : []), ...(control ? ['control' as const] : [])];
    if (permissions.length === 0) {
      setError('Choose at least one permission.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onCreate(name.trim(), permissions);
      setName('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-labelledby="create-key-title">
      <h2 id="create-key-title">Create a key</h2>
      <div className="field">
        <label htmlFor="key-client-name">Client name</label>
        <input id="key-client-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100}
          placeholder="e.g. CRM screen-pop" />
      </div>
      <fieldset className="field">
        <legend>Permissions</legend>
        <label className="check">
          <input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} /> read (calls, events, records)
        </label>
        <label className="check">
          <input type="checkbox" checked={control} onChange={(e) => setControl(e.target.checked)} /> control (drop calls, click-to-call)
        </label>
      </fieldset>
      <button type="submit" className="primary" disabled={busy}>{busy ? 'Creating…' : 'Create key'}</button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}
