// Calls in progress right now, updated by the relay's `calls` frames.
import { useState } from 'react';
import { ActiveCallRow } from '../components/active-call-row.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { EmptyState } from '../components/page-state.js';
import { ResourceBody } from '../components/resource-body.js';
import { TableHead } from '../components/table-head.js';
import { useIsAdmin, useRelayClient } from '../hooks/relay-context.js';
import { useActiveCalls, type LiveCall } from '../hooks/use-active-calls.js';
import { useNow } from '../hooks/use-now.js';

const COLUMNS = ['Caller', 'Callee', 'Status', '#Duration'];
const COLUMNS_ADMIN = [...COLUMNS, null];

export function ActiveCallsPage() {
  const client = useRelayClient();
  const isAdmin = useIsAdmin();
  const calls = useActiveCalls();
  const now = useNow(1000);
  const [dropping, setDropping] = useState<LiveCall | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <>
      <h1 tabIndex={-1}>Active calls {calls.data && <span className="count">({calls.data.length})</span>}</h1>
      <p className="page-notice" role="status">{notice}</p>
      <ResourceBody resource={calls} what="active calls" isEmpty={(list) => list.length === 0}
        empty={<EmptyState title="No calls in progress.">New calls appear here as soon as the phone system reports them.</EmptyState>}>
        {(list) => (
          <table className="data-table">
            <TableHead caption="Active calls" columns={isAdmin ? COLUMNS_ADMIN : COLUMNS} />
            <tbody>
              {list.map((call) => (
                <ActiveCallRow key={call.Id} call={call} now={now} {...(isAdmin ? { onDrop: setDropping } : {})} />
              ))}
            </tbody>
          </table>
        )}
      </ResourceBody>
      {dropping && (
        <ConfirmDialog title="Drop this call?" confirmLabel="Drop call" onClose={() => setDropping(null)}
          onConfirm={async () => {
            await client.dropCall(dropping.Id);
            setNotice(`Call ${dropping.Caller} → ${dropping.Callee} dropped.`);
          }}>
          <p>The call between <strong>{dropping.Caller}</strong> and <strong>{dropping.Callee}</strong> will be hung up for both parties.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
