// API keys for local integrations: create (shown once), usage, revoke.
import { useState } from 'react';
import type { ApiKeyInfo, CreatedApiKey } from '../../relay/contract/api-types.js';
import { ApiKeyTable } from '../components/api-key-table.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { CreateKeyForm } from '../components/create-key-form.js';
import { KeyRevealDialog } from '../components/key-reveal-dialog.js';
import { EmptyState } from '../components/page-state.js';
import { ResourceBody } from '../components/resource-body.js';
import { useIsAdmin, useRelayClient } from '../hooks/relay-context.js';
import { useResource } from '../hooks/use-resource.js';

export function ApiKeysPage() {
  const client = useRelayClient();
  const isAdmin = useIsAdmin();
  const keys = useResource(() => (isAdmin ? client.listApiKeys() : Promise.resolve([])), [client, isAdmin], { pollMs: 5000 });
  // The new key lives only here, and only until the reveal dialog closes.
  const [revealed, setRevealed] = useState<{ created: CreatedApiKey; clientName: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!isAdmin) {
    return (
      <>
        <h1 tabIndex={-1}>API keys</h1>
        <EmptyState title="Only administrators manage API keys." />
      </>
    );
  }

  return (
    <>
      <h1 tabIndex={-1}>API keys</h1>
      <section className="panel">
        <CreateKeyForm onCreate={async (clientName, permissions) => {
          const created = await client.createApiKey(clientName, permissions);
          setRevealed({ created, clientName });
          keys.reload();
        }} />
      </section>
      <p className="page-notice" role="status">{notice}</p>
      <section aria-labelledby="keys-list-title">
        <h2 id="keys-list-title">Issued keys</h2>
        <ResourceBody resource={keys} what="API keys" isEmpty={(list) => list.length === 0}
          empty={<EmptyState title="No API keys yet.">Create one above for each integration (CRM, wallboard, script).</EmptyState>}>
          {(list) => <ApiKeyTable keys={list} onRevoke={setRevoking} />}
        </ResourceBody>
      </section>
      {revealed && (
        <KeyRevealDialog created={revealed.created} clientName={revealed.clientName} onClose={() => setRevealed(null)} />
      )}
      {revoking && (
        <ConfirmDialog title={`Revoke the key for ${revoking.clientName}?`} confirmLabel="Revoke key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            await client.revokeApiKey(revoking.id);
            setNotice(`Key for ${revoking.clientName} revoked.`);
            keys.reload();
          }}>
          <p>Requests with this key are refused from now on and its open WebSockets are closed. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
