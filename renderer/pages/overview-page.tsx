// The supervisor's first look: are the three 3CX links up, how busy is it,
// who is using the API, is anything wrong.
import { lazy, Suspense } from 'react';
import { COMPONENTS } from '../../relay/contract/api-types.js';
import { COMPONENT_LABELS } from '../components/component-names.js';
import { formatLatency, formatUptime } from '../components/format-time.js';
import { PbxStatusPanel } from '../components/pbx-status-panel.js';
import { Loading } from '../components/page-state.js';
import { RequestsPerKeyTable } from '../components/requests-per-key-table.js';
import { ResourceBody } from '../components/resource-body.js';
import { StatTile } from '../components/stat-tile.js';
import { teamSummary } from '../components/team-panel.js';
import { StateBadge } from '../components/state-badge.js';
import { useRelayClient } from '../hooks/relay-context.js';
import { useNow } from '../hooks/use-now.js';
import { useResource } from '../hooks/use-resource.js';
import { usePbxOverview } from '../hooks/use-supervisor.js';

// The charting library is most of the bundle: load it after the figures.
const CallsPerHourChart = lazy(async () => ({ default: (await import('../components/calls-per-hour-chart.js')).CallsPerHourChart }));

export function OverviewPage() {
  const client = useRelayClient();
  const health = useResource(() => client.health(), [client], {
    pollMs: 5000,
    refreshOn: (f) => f.type === 'connection_state',
  });
  const stats = useResource(() => client.stats(), [client], {
    pollMs: 5000,
    refreshOn: (f) => f.type === 'calls' || f.type === 'error_logged',
  });
  const pbxLive = usePbxOverview();
  const now = useNow(1000);

  return (
    <>
      <h1 tabIndex={-1}>Overview</h1>
      <section aria-labelledby="health-title" className="panel">
        <h2 id="health-title">
          Relay health {health.data && <StateBadge state={health.data.status} />}
        </h2>
        <ResourceBody resource={health} what="health">
          {(h) => (
            <ul className="component-list">
              {COMPONENTS.map((name) => {
                const c = h.components[name];
                return (
                  <li key={name} className="component-item">
                    <span className="component-name">{COMPONENT_LABELS[name]}</span>
                    <StateBadge state={c.state} />
                    <span className="muted">{formatLatency(c.latencyMs)}</span>
                    {c.lastError && <span className="component-error">{c.lastError}</span>}
                  </li>
                );
              })}
            </ul>
          )}
        </ResourceBody>
        {health.data?.team && <p>Team: {teamSummary(health.data.team)} (see Connections)</p>}
      </section>

      <section aria-labelledby="pbx-title" className="panel">
        <h2 id="pbx-title">Phone system</h2>
        {(health.data || pbxLive.data) && <PbxStatusPanel pbx={health.data?.pbx} live={pbxLive.data ?? null} now={now} />}
      </section>

      <ResourceBody resource={stats} what="figures">
        {(s) => (
          <>
            <dl className="stat-grid">
              <StatTile label="Active calls" value={s.activeCalls} />
              <StatTile label="Calls today" value={s.callsToday} />
              <StatTile label="Events today" value={s.eventsToday} />
              <StatTile label="Unacknowledged errors" value={s.errors.unacknowledged}
                hint={<a href="#/errors">{s.errors.total} in total</a>} />
              <StatTile label="Uptime" value={formatUptime(s.uptimeS)} />
            </dl>
            <div className="two-columns">
              <section className="panel" aria-labelledby="chart-title">
                <h2 id="chart-title">Calls per hour</h2>
                <Suspense fallback={<Loading what="chart" />}>
                  <CallsPerHourChart data={s.callsPerHour} />
                </Suspense>
              </section>
              <section className="panel" aria-labelledby="keys-title">
                <h2 id="keys-title">Requests per API key</h2>
                <RequestsPerKeyTable rows={s.requestsPerKey} />
              </section>
            </div>
          </>
        )}
      </ResourceBody>
    </>
  );
}
