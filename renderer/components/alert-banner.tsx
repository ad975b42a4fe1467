// Fired alerts across the top of a page, newest first, until they clear or
// someone acknowledges them on the Alerts page. The region is always there so
// a screen reader announces an alert as it arrives.
import type { AlertEntry } from '../../relay/contract/supervisor-types.js';
import { formatMoment } from './format-time.js';

export function AlertBanner({ alerts }: { alerts: readonly AlertEntry[] }) {
  return (
    <div className="alert-banner-region" aria-live="assertive">
      {alerts.length > 0 && (
        <section className="alert-banner" aria-label="Fired alerts">
          <ul>
            {alerts.map((a) => (
              <li key={a.id} className={`alert-item severity-${a.severity}`}>
                <span className={`severity severity-${a.severity}`}>{a.severity}</span>
                <strong>{a.rule}</strong>
                <span>{a.message}</span>
                <span className="muted">since <time dateTime={a.firedAt}>{formatMoment(a.firedAt)}</time></span>
              </li>
            ))}
          </ul>
          <a href="#/alerts">Acknowledge on the Alerts page</a>
        </section>
      )}
    </div>
  );
}
