// The wall screen: a tile per queue in large type, fired alerts across the
// top, and full-screen mode (Esc leaves, as the browser always allows).
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { AlertBanner } from '../components/alert-banner.js';
import { EmptyState, Loading } from '../components/page-state.js';
import { QUEUE_STATUS_TEXT, type QueueStatus } from '../components/queue-status.js';
import { QueueTile } from '../components/queue-tile.js';
import { ResourceBody } from '../components/resource-body.js';
import { SupervisorUnavailable } from '../components/supervisor-unavailable.js';
import { useNow } from '../hooks/use-now.js';
import { useQueueHistory } from '../hooks/use-queue-history.js';
import { useFiredAlerts, useQueues, useSupervisor } from '../hooks/use-supervisor.js';

const SupervisorCharts = lazy(async () => ({ default: (await import('../components/supervisor-charts.js')).SupervisorCharts }));

const STATUSES: QueueStatus[] = ['ok', 'warn', 'alert'];

function useFullscreen(target: React.RefObject<HTMLElement | null>) {
  const [active, setActive] = useState(false);
  useEffect(() => {
    const changed = () => setActive(document.fullscreenElement !== null && document.fullscreenElement === target.current);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, [target]);
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void target.current?.requestFullscreen();
  };
  return { supported: document.fullscreenEnabled === true, active, toggle };
}

export function WallboardPage() {
  const supervisor = useSupervisor();
  const queues = useQueues();
  const alerts = useFiredAlerts();
  const history = useQueueHistory(queues.data);
  const now = useNow(1000);
  const wall = useRef<HTMLDivElement>(null);
  const fullscreen = useFullscreen(wall);

  return (
    <div ref={wall} className={`wallboard${fullscreen.active ? ' wallboard-full' : ''}`}>
      <div className="wallboard-head">
        <h1 tabIndex={-1}>Wallboard</h1>
        {fullscreen.supported && (
          <button type="button" onClick={fullscreen.toggle} aria-pressed={fullscreen.active}>
            {fullscreen.active ? 'Leave full screen' : 'Full screen'}
          </button>
        )}
        {fullscreen.active && <span className="hint">Esc leaves full screen</span>}
      </div>
      {supervisor === null ? (
        <SupervisorUnavailable what="queue figures" />
      ) : (
        <>
          <AlertBanner alerts={alerts.data ?? []} />
          <ResourceBody resource={queues} what="queues" isEmpty={(list) => list.length === 0}
            empty={<EmptyState title="No queues.">Queues appear here once the phone system reports them.</EmptyState>}>
            {(list) => (
              <div className="queue-grid">
                {list.map((q) => <QueueTile key={q.id} queue={q} now={now} />)}
              </div>
            )}
          </ResourceBody>
          <ul className="queue-legend" aria-label="Tile states">
            {STATUSES.map((s) => (
              <li key={s}><span className={`queue-state queue-state-${s}`}><span aria-hidden="true">{QUEUE_STATUS_TEXT[s].icon}</span> {QUEUE_STATUS_TEXT[s].label}</span> {QUEUE_STATUS_TEXT[s].meaning}</li>
            ))}
            <li>Each figure shows the age of its data; a figure greyed out with “stale since” has not been confirmed recently.</li>
          </ul>
          <Suspense fallback={<Loading what="charts" />}>
            <SupervisorCharts history={history} />
          </Suspense>
        </>
      )}
    </div>
  );
}
