// Calls in progress right now, updated by the relay's `calls` frames.
import { useState } from 'react';
import { ActiveCallRow } from '../components/active-call-row.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { EmptyState, ErrorState, Loading, StaleNotice } from '../components/page-state.js';
import { useIsAdmin, useRelayClient } from '../hooks/relay-context.js';
import { useActiveCalls, type LiveCall } from '../hooks/use-active-calls.js';
import { useNow } from '../hooks/use-now.js';

export function ActiveCallsPage() {
  const client = useRelayClient();
  const isAdmin = useIsAdmin();
  const { calls, error, reload } = useActiveCalls();
  const now = useNow(1000);
  const [dropping, setDropping] = useState<LiveCall | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  let body;
  if (calls) {
    body = calls.length === 0
      ? <EmptyState title="No calls in progress.">New calls appear here as soon as the phone system reports them.</EmptyState>
      : (
        <table className="data-table">
          <caption className="visually-hidden">Active calls</caption>
          <thead>
            <tr>
              <th scope="col">Caller</th>
              <th scope="col">Callee</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">Duration</th>
              {isAdmin && <th scope="col"><span className="visually-hidden">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {calls.map((call) => (
              <ActiveCallRow key={call.Id} call={call} now={now} {...(isAdmin ? { onDrop: setDropping } : {})} />
            ))}
          </tbody>
        </table>
      );
  } else if (error) {
    body = <ErrorState message={error} onRetry={reload} />;
  } else {
    body = <Loading what="active calls" />;
  }

  return (
    <>
      <h1 tabIndex={-1}>Active calls {calls && <span className="count">({calls.length})</span>}</h1>
      <p className="page-notice" role="status">{notice}</p>
      {calls && <StaleNotice message={error} />}
      {body}
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
