// Results of "Test connection", one line per component.
import type { ConnectionTestResult } from '../../relay/contract/ipc-channels.js';
import { COMPONENT_LABELS } from './component-names.js';
import { formatLatency } from './format-time.js';

export function ConnectionTestResults({ results }: { results: readonly ConnectionTestResult[] }) {
  return (
    <ul className="test-results" aria-label="Connection test results">
      {results.map((r) => (
        <li key={r.component}>
          <span className={`badge ${r.ok ? 'badge-good' : 'badge-bad'}`}>{r.ok ? 'OK' : 'Failed'}</span>{' '}
          <strong>{COMPONENT_LABELS[r.component]}</strong> {r.ok && <span className="muted">{formatLatency(r.latencyMs)}</span>} — {r.message}
        </li>
      ))}
    </ul>
  );
}
