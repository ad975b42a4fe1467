// Root: decides between the login page and the dashboard, starts the live
// link once signed in, and follows the desktop shell's navigation requests.
import { useCallback, useEffect, useState } from 'react';
import type { AdminUser } from '../../relay/contract/api-types.js';
import { errorMessage, RelayApiError } from '../client/relay-api-error.js';
import type { RelayClient } from '../client/relay-client.js';
import { LoginPage } from '../pages/login-page.js';
import { RelayClientContext, SessionContext } from '../hooks/relay-context.js';
import { useHashRoute } from '../hooks/use-hash-route.js';
import { AppShell } from './app-shell.js';
import { ErrorState, Loading } from '../components/page-state.js';
import { TeamEscape } from '../components/team-escape.js';

type Session =
  | { phase: 'checking' }
  | { phase: 'signed-out'; notice: string | null }
  | { phase: 'signed-in'; user: AdminUser }
  | { phase: 'unreachable'; message: string };

/** `reload` picks the client anew after a mode change (tests pass their own). */
export function App({ client, reload = () => window.location.reload() }: { client: RelayClient; reload?: () => void }) {
  const [session, setSession] = useState<Session>({ phase: 'checking' });
  const [path, navigate] = useHashRoute();

  const check = useCallback(() => {
    setSession({ phase: 'checking' });
    client.me().then(
      (user) => setSession({ phase: 'signed-in', user }),
      (err: unknown) => {
        if (err instanceof RelayApiError && err.status === 401) setSession({ phase: 'signed-out', notice: null });
        else setSession({ phase: 'unreachable', message: errorMessage(err) });
      },
    );
  }, [client]);

  useEffect(check, [check]);

  // The relay may still be starting (or restarting): keep trying by itself.
  const unreachable = session.phase === 'unreachable';
  useEffect(() => {
    if (!unreachable) return;
    const timer = setTimeout(check, 5000);
    return () => clearTimeout(timer);
  }, [unreachable, check]);

  useEffect(
    () => client.onSignedOut(() => setSession({ phase: 'signed-out', notice: 'Your session ended; sign in again.' })),
    [client],
  );
  useEffect(() => client.onNavigate((page) => navigate(page)), [client, navigate]);

  const signedIn = session.phase === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    client.startLive();
    return () => client.stopLive();
  }, [client, signedIn]);

  const signOut = async () => {
    try {
      await client.logout();
    } finally {
      setSession({ phase: 'signed-out', notice: 'You are signed out.' });
    }
  };

  // The desktop as a team relay's client: Settings sit behind the sign-in, so the way back is offered here.
  const escape = client.desktop && client.mode === 'http' ? <TeamEscape desktop={client.desktop} reload={reload} /> : null;
  let content;
  if (session.phase === 'checking') {
    content = <main className="content" id="main"><Loading what="the dashboard" /></main>;
  } else if (session.phase === 'unreachable') {
    content = <main className="content" id="main"><h1>3CX Relay Companion</h1><ErrorState message={session.message} onRetry={check} />{escape}</main>;
  } else if (session.phase === 'signed-out') {
    content = <LoginPage notice={session.notice} onSignedIn={(user) => setSession({ phase: 'signed-in', user })} after={escape} />;
  } else {
    content = (
      <SessionContext value={session.user}>
        <AppShell user={session.user} path={path} desktop={client.desktop !== null}
          {...(client.mode === 'http' ? { onSignOut: () => void signOut() } : {})} />
      </SessionContext>
    );
  }

  return <RelayClientContext value={client}>{content}</RelayClientContext>;
}
