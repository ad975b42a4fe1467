// Name + permissions for a new API key.
import { useState, type FormEvent } from 'react';
import type { Permission } from '../../relay/contract/api-types.js';
import { useAsyncAction } from '../hooks/use-async-action.js';

export function CreateKeyForm({ onCreate }: { onCreate: (name: string, permissions: Permission[]) => Promise<void> }) {
  const [name, setName] = useState('');
  const [read, setRead] = useState(true);
  const [control, setControl] = useState(false);
  const action = useAsyncAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const permissions: Permission[] = [...(read ? ['read' as const] : []), ...(control ? ['control' as const] : [])];
    if (permissions.length === 0) return action.setError('Choose at least one permission.');
    if (await action.run(() => onCreate(name.trim(), permissions))) setName('');
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
          <input type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} /> read (live calls, events, call records)
        </label>
        <label className="check">
          <input type="checkbox" checked={control} onChange={(e) => setControl(e.target.checked)} /> control (drop calls, click-to-call)
        </label>
        <p className="hint" id="key-permissions-hint">
          Each permission stands alone: a control-only key places and drops calls but cannot list them or read call records.
          Tick both for an integration that needs both.
        </p>
      </fieldset>
      <button type="submit" className="primary" disabled={action.busy}>{action.busy ? 'Creating…' : 'Create key'}</button>
      {action.error && <p className="form-error" role="alert">{action.error}</p>}
    </form>
  );
}
