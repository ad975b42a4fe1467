// One upstream component: state, latency, last error, recent history, and
// (admins) a reconnect button.
import { useState } from 'react';
import type { ComponentConnection } from '../../relay/contract/api-types.js';
import { useAsyncAction } from '../hooks/use-async-action.js';
import { COMPONENT_LABELS } from './component-names.js';
import { formatLatency, formatMoment } from './format-time.js';
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
        <div><dt>Since</dt><dd>{formatMoment(connection.since)}</dd></div>
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
        <ol className="history" aria-label={`${label} history`}>
          {connection.history.slice(0, HISTORY_ROWS).map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <time dateTime={entry.at}>{formatMoment(entry.at)}</time>
              <StateBadge state={entry.state} />
              <span className="muted">{formatLatency(entry.latencyMs)}</span>
              {entry.error && <span className="history-error">{entry.error}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
