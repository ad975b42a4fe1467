// Every key the relay issued, with usage; revoked keys stay listed for audit.
import type { ApiKeyInfo } from '../../relay/contract/api-types.js';
import { formatDateTime } from './format-time.js';
import { TableHead } from './table-head.js';

export function ApiKeyTable({ keys, onRevoke }: { keys: readonly ApiKeyInfo[]; onRevoke: (key: ApiKeyInfo) => void }) {
  return (
    <table className="data-table">
      <TableHead caption="API keys" columns={['Client', 'Permissions', 'Status', '#Requests', 'Last used', 'Created', null]} />
      <tbody>
        {keys.map((key) => (
          <tr key={key.id} className={key.active ? undefined : 'inactive'}>
            <td>{key.clientName}</td>
            <td>{key.permissions.join(', ')}</td>
            <td>{key.active ? <span className="badge badge-good">Active</span> : <span className="badge badge-idle">Revoked</span>}</td>
            <td className="num">{key.requestCount}</td>
            <td>{key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}</td>
            <td>{formatDateTime(key.createdAt)}{key.createdBy ? ` by ${key.createdBy}` : ''}</td>
            <td>
              {key.active && (
                <button type="button" className="danger small" onClick={() => onRevoke(key)} aria-label={`Revoke key ${key.clientName}`}>
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
