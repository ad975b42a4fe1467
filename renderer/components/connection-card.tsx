// One upstream component: state, latency, last error, recent history, and
// (admins) a reconnect button.
import { useState } from 'react';
import type { ComponentConnection } from '../../relay/contract/api-types.js';
import { useAsyncAction } from '../hooks/use-async-action.js';
import { COMPONENT_LABELS } from './component-names.js';
import { formatDateTime, formatLatency } from './format-time.js';
import { StateBadge } from './state-badge.js';

const HISTORY_ROWS = 10;

export function ConnectionCard({ connection, onReconnect }: { connection: ComponentConnection; onReconnect?: () => Promise<void> }) {
  const [requested, setRequested] = useState(false);
  const { busy, error, run } = useAsyncAction();
  const label = COMPONENT_LABELS[connection.component];
  const titleId = `conn-${connection.component}`;

  const reconnect = async () => {
    if (!onReconnect) return;
    setRequested(false);
    setRequested(await run(onReconnect));
  };

  return (
    <section className="panel connection-card" aria-labelledby={titleId}>
      <h2 id={titleId}>{label} <StateBadge state={connection.state} /></h2>
      <dl className="facts">
        <div><dt>Latency</dt><dd>{formatLatency(connection.latencyMs)}</dd></div>
        <div><dt>Since</dt><dd>{formatDateTime(connection.since)}</dd></div>
        <div><dt>Last error</dt><dd>{connection.lastError ?? 'none'}</dd></div>
      </dl>
      {onReconnect && (
        <p>
          <button type="button" onClick={() => void reconnect()} disabled={busy}>
            {busy ? 'Reconnecting…' : `Reconnect ${label}`}
          </button>{' '}
          <span role="status">{requested ? 'Reconnect requested.' : error}</span>
        </p>
      )}
      <h3>Recent history</h3>
      {connection.history.length === 0 ? (
        <p className="muted">No state changes recorded yet.</p>
      ) : (
        <table className="data-table compact">
          <thead>
            <tr><th scope="col">When</th><th scope="col">State</th><th scope="col" className="num">Latency</th><th scope="col">Error</th></tr>
          </thead>
          <tbody>
            {connection.history.slice(0, HISTORY_ROWS).map((entry, i) => (
              <tr key={`${entry.at}-${i}`}>
                <td>{formatDateTime(entry.at)}</td>
                <td><StateBadge state={entry.state} /></td>
                <td className="num">{formatLatency(entry.latencyMs)}</td>
                <td>{entry.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
