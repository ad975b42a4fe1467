// Every agent: queue login, phone, the call they are on and for how long,
// calls answered today. An admin can log an agent in or out of its queues.
import { useState } from 'react';
import type { AgentState } from '../../relay/contract/supervisor-types.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { formatDuration } from '../components/format-time.js';
import { freshness } from '../components/freshness.js';
import { EmptyState } from '../components/page-state.js';
import { ResourceBody } from '../components/resource-body.js';
import { SupervisorUnavailable } from '../components/supervisor-unavailable.js';
import { TableHead } from '../components/table-head.js';
import { useIsAdmin } from '../hooks/relay-context.js';
import { useNow } from '../hooks/use-now.js';
import { useAgents, useSupervisor } from '../hooks/use-supervisor.js';

const COLUMNS = ['Extension', 'Name', 'Queues', 'Phone', 'Current call', '#Duration', '#Answered today', 'Data age'];
const COLUMNS_ADMIN = [...COLUMNS, null];

function AgentRow({ agent, now, onToggle }: { agent: AgentState; now: number; onToggle?: (a: AgentState) => void }) {
  const f = freshness(agent, now);
  const loggedIn = agent.queueStatus === 'LoggedIn';
  const call = agent.currentCall;
  return (
    <tr className={f.stale ? 'row-stale' : undefined}>
      <td className="mono">{agent.extension}</td>
      <td>{agent.name}</td>
      <td>
        <span className={`badge ${loggedIn ? 'badge-good' : 'badge-idle'}`}>{loggedIn ? 'Logged in' : 'Logged out'}</span>
        {agent.queues.length > 0 && <span className="muted"> {agent.queues.join(', ')}</span>}
      </td>
      <td>{agent.registered ? 'Registered' : <span className="muted">Not registered</span>}</td>
      <td>{call ? `${call.party} (${call.status})` : <span className="muted">—</span>}</td>
      <td className="num">{call ? formatDuration(now - Date.parse(call.since)) : ''}</td>
      <td className="num">{agent.answeredToday ?? '—'}</td>
      <td className="nowrap figure-age">{f.label}</td>
      {onToggle && (
        <td>
          <div className="row-actions">
            <button type="button" className="small" onClick={() => onToggle(agent)}
              aria-label={`${loggedIn ? 'Log out' : 'Log in'} ${agent.name}`}>
              {loggedIn ? 'Log out' : 'Log in'}
            </button>
          </div>
        </td>
      )}
    </tr>
  );
}

export function AgentsPage() {
  const supervisor = useSupervisor();
  const isAdmin = useIsAdmin();
  const agents = useAgents();
  const now = useNow(1000);
  const [changing, setChanging] = useState<AgentState | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (supervisor === null) {
    return (
      <>
        <h1 tabIndex={-1}>Agents</h1>
        <SupervisorUnavailable what="agent figures" />
      </>
    );
  }
  const loggingOut = changing?.queueStatus === 'LoggedIn';
  return (
    <>
      <h1 tabIndex={-1}>Agents {agents.data && <span className="count">({agents.data.length})</span>}</h1>
      <p className="page-notice" role="status">{notice}</p>
      <ResourceBody resource={agents} what="agents" isEmpty={(list) => list.length === 0}
        empty={<EmptyState title="No agents.">Queue agents appear here once the phone system reports them.</EmptyState>}>
        {(list) => (
          <div className="table-scroll">
            <table className="data-table">
              <TableHead caption="Agents" columns={isAdmin ? COLUMNS_ADMIN : COLUMNS} />
              <tbody>
                {list.map((agent) => (
                  <AgentRow key={agent.extension} agent={agent} now={now} {...(isAdmin ? { onToggle: setChanging } : {})} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceBody>
      {changing && (
        <ConfirmDialog title={loggingOut ? 'Log this agent out of its queues?' : 'Log this agent in to its queues?'}
          confirmLabel={loggingOut ? 'Log out' : 'Log in'} onClose={() => setChanging(null)}
          onConfirm={async () => {
            const status = loggingOut ? 'LoggedOut' : 'LoggedIn';
            await supervisor.setAgentQueueStatus(changing.extension, status);
            setNotice(`${changing.name} (${changing.extension}) ${loggingOut ? 'logged out of' : 'logged in to'} the queues.`);
          }}>
          <p>
            <strong>{changing.name}</strong> ({changing.extension}) will be {loggingOut ? 'logged out of' : 'logged in to'} every
            queue they belong to{changing.queues.length > 0 ? ` (${changing.queues.join(', ')})` : ''}. The change is recorded with your name.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
