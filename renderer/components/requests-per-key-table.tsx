// API usage per integration, busiest first.
import type { KeyRequestStats } from '../../relay/contract/api-types.js';
import { EmptyState } from './page-state.js';

export function RequestsPerKeyTable({ rows }: { rows: readonly KeyRequestStats[] }) {
  if (rows.length === 0) {
    return <EmptyState title="No API requests yet.">Integrations appear here once they use a key.</EmptyState>;
  }
  const sorted = [...rows].sort((a, b) => b.lastHour - a.lastHour || b.requests - a.requests);
  return (
    <table className="data-table compact">
      <thead>
        <tr><th scope="col">Client</th><th scope="col" className="num">Last hour</th><th scope="col" className="num">Total</th></tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={row.keyId}>
            <td>{row.clientName}</td>
            <td className="num">{row.lastHour}</td>
            <td className="num">{row.requests}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
