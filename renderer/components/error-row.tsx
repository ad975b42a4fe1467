// One error-feed entry with expandable details and an acknowledge button.
import { useId, useState } from 'react';
import type { ErrorEntry } from '../../relay/contract/api-types.js';
import { COMPONENT_LABELS } from './component-names.js';
import { formatDateTime, formatMoment } from './format-time.js';

function detailsText(details: unknown): string {
  if (details === null || details === undefined) return 'No further details.';
  if (typeof details === 'string') return details;
  try {
    return JSON.stringify(details, null, 2);
  } catch {
    return String(details);
  }
}

export function ErrorRow({ entry, onAcknowledge }: { entry: ErrorEntry; onAcknowledge: (id: number) => void }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  return (
    <li className={`error-entry severity-${entry.severity}`}>
      <div className="error-head">
        <span className={`severity severity-${entry.severity}`}>{entry.severity}</span>
        <span className="error-component">{COMPONENT_LABELS[entry.component] ?? entry.component}</span>
        <span className="error-message">{entry.message}</span>
        {entry.occurrences > 1 && <span className="muted">×{entry.occurrences}</span>}
        <time className="muted" dateTime={entry.lastAt}>{formatMoment(entry.lastAt)}</time>
        <span className="error-actions">
          <button type="button" className="small" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
            {open ? 'Hide details' : 'Details'}
          </button>
          {entry.acknowledged ? (
            <span className="muted">Acknowledged{entry.acknowledgedBy ? ` by ${entry.acknowledgedBy}` : ''}</span>
          ) : (
            <button type="button" className="small" onClick={() => onAcknowledge(entry.id)}
              aria-label={`Acknowledge: ${entry.message}`}>
              Acknowledge
            </button>
          )}
        </span>
      </div>
      <div id={detailsId} hidden={!open} className="error-details">
        <dl className="facts">
          <div><dt>First seen</dt><dd>{formatDateTime(entry.at)}</dd></div>
          <div><dt>Last seen</dt><dd>{formatDateTime(entry.lastAt)}</dd></div>
          {entry.acknowledgedAt && <div><dt>Acknowledged</dt><dd>{formatDateTime(entry.acknowledgedAt)}</dd></div>}
        </dl>
        <pre className="mono">{detailsText(entry.details)}</pre>
      </div>
    </li>
  );
}
