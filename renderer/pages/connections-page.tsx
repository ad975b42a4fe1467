// State, latency and history of the XAPI, Call Control and database links.
import { ConnectionCard } from '../components/connection-card.js';
import { EmptyState, ErrorState, Loading, StaleNotice } from '../components/page-state.js';
import { useIsAdmin, useRelayClient } from '../hooks/relay-context.js';
import { useResource } from '../hooks/use-resource.js';

export function ConnectionsPage() {
  const client = useRelayClient();
  const isAdmin = useIsAdmin();
  const view = useResource(() => client.connections(), [client], {
    pollMs: 5000,
    refreshOn: (f) => f.type === 'connection_state',
  });

  let body;
  if (view.data) {
    body = view.data.components.length === 0
      ? <EmptyState title="No components reported." />
      : (
        <div className="card-grid">
          {view.data.components.map((connection) => (
            <ConnectionCard key={connection.component} connection={connection}
              {...(isAdmin ? { onReconnect: async () => { await client.reconnect(connection.component); view.reload(); } } : {})} />
          ))}
        </div>
      );
  } else if (view.error) {
    body = <ErrorState message={view.error} onRetry={view.reload} />;
  } else {
    body = <Loading what="connections" />;
  }

  return (
    <>
      <h1 tabIndex={-1}>Connections</h1>
      {view.data && <StaleNotice message={view.error} />}
      {body}
    </>
  );
}
