// Dashboard users (admins) or one's own password (viewers).
import { useState } from 'react';
import type { AdminUserInfo } from '../../relay/contract/api-types.js';
import { AddUserForm } from '../components/add-user-form.js';
import { ConfirmDialog } from '../components/confirm-dialog.js';
import { Dialog } from '../components/dialog.js';
import { ResourceBody } from '../components/resource-body.js';
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
      <section aria-labelledby="users-list-title">
        <h2 id="users-list-title">Users</h2>
        <ResourceBody resource={users} what="users" isEmpty={(list) => list.length === 0}>
          {(list) => <UserTable users={list} currentUser={me.username} onResetPassword={setResetting} onRemove={setRemoving} />}
        </ResourceBody>
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
