// Dashboard users (admins) or one's own password (viewers).
import { useState } from 'react';
import type { AdminUserInfo } from '../../relay/contract/api-types.js';
import { AddUserForm } from '../components/add-user-form.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Dialog } from '../components/dialog.js';
import { EmptyState, ErrorState, Loading, StaleNotice } from '../components/page-state.js';
import { PasswordForm } from '../components/password-form.js';
import { UserTable } from '../components/user-table.js';
import { useIsAdmin, useRelayClient, useSession } from '../hooks/relay-context.js';
import { useResource } from '../hooks/use-resource.js';

export function UsersPage() {
  const client = useRelayClient();
  const me = useSession();
  const isAdmin = useIsAdmin();
  const users = useResource(() => (isAdmin ? client.listUsers() : Promise.resolve([])), [client, isAdmin], { pollMs: 30_000 });
  const [resetting, setResetting] = useState<AdminUserInfo | null>(null);
  const [removing, setRemoving] = useState<AdminUserInfo | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!isAdmin) {
    return (
      <>
        <h1 tabIndex={-1}>Your account</h1>
        <p>Signed in as <strong>{me.username}</strong> ({me.role}).</p>
        <section className="panel narrow" aria-label="Change your password">
          <PasswordForm username={me.username} submitLabel="Change password" askCurrent
            onSave={(password, current) => client.changeOwnPassword(me.username, current, password)} />
        </section>
      </>
    );
  }

  let body;
  if (users.data) {
    body = users.data.length === 0
      ? <EmptyState title="No users." />
      : <UserTable users={users.data} currentUser={me.username} onResetPassword={setResetting} onRemove={setRemoving} />;
  } else if (users.error) {
    body = <ErrorState message={users.error} onRetry={users.reload} />;
  } else {
    body = <Loading what="users" />;
  }

  return (
    <>
      <h1 tabIndex={-1}>Users</h1>
      <section className="panel">
        <AddUserForm onAdd={async (username, password, role) => {
          await client.createUser(username, password, role);
          setNotice(`User ${username} added as ${role}.`);
          users.reload();
        }} />
      </section>
      <p className="page-notice" role="status">{notice}</p>
      {users.data && <StaleNotice message={users.error} />}
      <section aria-labelledby="users-list-title">
        <h2 id="users-list-title">Users</h2>
        {body}
      </section>
      {resetting && (
        <Dialog title={`Reset the password of ${resetting.username}`} onClose={() => setResetting(null)}>
          <PasswordForm username={resetting.username} submitLabel="Set password"
            onSave={(password) => client.setPassword(resetting.username, password)}
            onDone={() => { setNotice(`Password of ${resetting.username} changed; their sessions were signed out.`); setResetting(null); }} />
          <div className="dialog-actions"><button type="button" onClick={() => setResetting(null)}>Cancel</button></div>
        </Dialog>
      )}
      {removing && (
        <ConfirmDialog title={`Remove ${removing.username}?`} confirmLabel="Remove user" onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await client.removeUser(removing.username);
            setNotice(`User ${removing.username} removed.`);
            users.reload();
          }}>
          <p>{removing.username} can no longer sign in to the dashboard.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
