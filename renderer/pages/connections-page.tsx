// State, latency and history of the XAPI, Call Control and database links,
// and how much of the PBX Call Control covers.
import { CallControlCoverageLine } from '../components/call-control-coverage-line.js';
import { ConnectionCard } from '../components/connection-card.js';
import { ResourceBody } from '../components/resource-body.js';
import { useIsAdmin, useRelayClient } from '../hooks/relay-context.js';
import { useResource } from '../hooks/use-resource.js';
import { useNow } from '../hooks/use-now.js';
import { TeamPanel } from '../components/team-panel.js';

export function ConnectionsPage() {
  const client = useRelayClient();
  const isAdmin = useIsAdmin();
  const view = useResource(() => client.connections(), [client], {
    pollMs: 5000,
    refreshOn: (f) => f.type === 'connection_state',
  });
  const now = useNow();
  // Every 5 s like the connections: the team section shows lag, which moves.
  const health = useResource(() => client.health(), [client], {
    pollMs: 5000,
    refreshOn: (f) => f.type === 'connection_state',
  });

  return (
    <>
      <h1 tabIndex={-1}>Connections</h1>
      <CallControlCoverageLine coverage={health.data?.callControlCoverage} />
      <ResourceBody resource={view} what="connections" isEmpty={(v) => v.components.length === 0}>
        {(v) => (
          <div className="card-grid">
            {v.components.map((connection) => (
              <ConnectionCard key={connection.component} connection={connection}
                {...(isAdmin ? { onReconnect: async () => { await client.reconnect(connection.component); view.reload(); } } : {})} />
            ))}
          </div>
        )}
      </ResourceBody>
      {health.data?.team && <TeamPanel team={health.data.team} now={now} />}
    </>
  );
}
