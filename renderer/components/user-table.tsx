// Dashboard users with reset-password and remove actions.
import type { AdminUserInfo } from '../../relay/contract/api-types.js';
import { formatDateTime } from './format-time.js';
import { TableHead } from './table-head.js';

export function UserTable({ users, currentUser, onResetPassword, onRemove }: {
  users: readonly AdminUserInfo[];
  currentUser: string;
  onResetPassword: (user: AdminUserInfo) => void;
  onRemove: (user: AdminUserInfo) => void;
}) {
  return (
    <table className="data-table">
      <TableHead caption="Users" columns={['Username', 'Role', 'Created', 'Last sign-in', null]} />
      <tbody>
        {users.map((user) => (
          <tr key={user.username}>
            <td>{user.username}{user.username === currentUser && <span className="muted"> (you)</span>}</td>
            <td>{user.role}</td>
            <td>{formatDateTime(user.createdAt)}</td>
            <td>{user.lastLoginAt ? formatDateTime(user.lastLoginAt) : 'never'}</td>
            <td className="row-actions">
              <button type="button" className="small" onClick={() => onResetPassword(user)}
                aria-label={`Reset password of ${user.username}`}>Reset password</button>
              <button type="button" className="danger small" onClick={() => onRemove(user)}
                aria-label={`Remove user ${user.username}`}>Remove</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
